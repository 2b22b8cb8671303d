import ArgumentParser
import Foundation
import IonLinkRecords
import IonLinkReport

/// `ionlink report RUN.h5 -o report.html`: one self-contained HTML page with SVG plots of a run record.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page with SVG plots of a run record (also of a killed or running run).")

    @Argument(help: "The run record (HDF5) written by `ionlink run`.")
    var record: String

    @Option(name: .shortAndLong, help: "The HTML file to write.")
    var output: String = "report.html"

    func run() throws {
        let r: RunRecord
        do { r = try RunRecord.read(path: record) } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        try Data(RunReport.html(r).utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        print("report     \(output) (\(r.totals.heralds) heralds, \(r.isComplete ? "complete run" : "interrupted run"))")
    }
}
