import Foundation
import Logging
import Testing
import IonLink
import IonLinkAssembly
import IonLinkSequencer

/// docs/lab-scripts.md's run-session script, run as written; the page's code block must be this code.
@Suite struct LabSessionScriptTests {
    static let docs = CLI.repo.appendingPathComponent("docs/lab-scripts.md")
    static let this = URL(fileURLWithPath: #filePath)

    @Test func sessionScriptRuns() async throws {
        // DOCS-BEGIN
        struct EveryHundredth: RunObserver {
            func herald(_ herald: HeraldRecord, totals: RunResult) {
                if totals.heralds % 100 == 0 { print("herald \(totals.heralds) at attempt \(herald.attempt)") }
            }
        }

        let builder = LabBuilder(logger: Logger(label: "lab"))
        let config = try builder.parse(yaml: LabConfig.defaultYAML())   // a devices: section binds instruments
        let lab = try await builder.build(config, seed: 7)
        let request = RunRequest(seed: 7, stop: StopCondition(heralds: 500))
        let session = try await RunSession.prepare(lab, request: request, logger: Logger(label: "run"))
        let summary = try await session.run(observers: [EveryHundredth()])
        print(summary.text())
        // DOCS-END
        #expect(summary.heralds == 500 && summary.seed == 7 && !summary.interrupted)
        #expect(abs(summary.successProbability - summary.successProbabilityModel) < 5 * summary.successProbabilityStderr + 1e-12)
    }

    /// The page shows exactly the code between the markers (indentation aside).
    @Test func pageShowsTheTestedCode() throws {
        func code(_ lines: some Sequence<Substring>) -> [String] {
            lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let source = try String(contentsOf: Self.this, encoding: .utf8)
        let body = try #require(source.components(separatedBy: "// DOCS-BEGIN\n").last?.components(separatedBy: "// DOCS-END").first)
        let page = try String(contentsOf: Self.docs, encoding: .utf8)
        let section = try #require(page.components(separatedBy: "## A run session").last)
        let block = try #require(section.components(separatedBy: "```swift\n").dropFirst().first?.components(separatedBy: "```").first)
        let shown = code(block.split(separator: "\n")).filter { !$0.hasPrefix("import ") }
        #expect(shown == code(body.split(separator: "\n")))
    }
}
