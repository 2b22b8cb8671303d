import ArgumentParser
import Foundation
import IonLink

/// `ionlink fault-matrix`: every fault of a fault plan, one run each on the default lab, and the outcome
/// as a table (the fault matrix in docs/faults.md, "The fault matrix", is this command's output).
struct FaultMatrixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault-matrix",
        abstract: "Inject each fault into a simulated run of the default lab and tabulate recovery, time lost and heralds lost.")

    @Option(help: "Seed of every run.")
    var seed: UInt64 = 1

    @Option(help: "Lab time of each run (e.g. 120s).")
    var duration: LabDuration = LabDuration(.seconds(120))

    @Option(help: "Lab time at which each fault strikes.")
    var at: LabDuration = LabDuration(.seconds(40))

    @Option(help: "Keep each run's plan and record in this folder (default: a temporary one, removed).")
    var keep: String?

    @Flag(help: "Print JSON rows instead of a Markdown table.")
    var json = false

    func validate() throws {
        guard at.duration < duration.duration else { throw ValidationError("--at must fall inside --duration") }
    }

    func run() async throws {
        let directory = keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("ionlink-fault-matrix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: directory) } }
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let matrix = FaultMatrix(ionlink: me, directory: directory, seed: seed, labTime: duration.duration, at: at.duration)
        var rows: [FaultMatrix.Row] = []
        for c in FaultMatrix.cases(at: at.duration) {
            FileHandle.standardError.write(Data("fault-matrix: \(c.fault.rawValue)\n".utf8))
            do { rows.append(try matrix.run(c)) } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        if json {
            let enc = JSONEncoder()
            enc.keyEncodingStrategy = .convertToSnakeCase
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try enc.encode(rows), as: UTF8.self))
        } else {
            print(FaultMatrix.markdown(rows))
        }
        if rows.contains(where: { !$0.recovered || $0.heraldsLost != 0 || $0.countedTwice != 0 }) { throw ExitCode(1) }
    }
}
