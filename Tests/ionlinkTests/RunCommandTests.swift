import Foundation
import Logging
import Testing
import IonLink
import IonLinkPhysics
import IonLinkSequencer
import IonLinkSimulation
@testable import ionlink

@Suite struct RunCommandTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    func summary(heralds: Int = 300) async throws -> RunSummary {
        let config = try loadLabConfig(path: nil)
        let lab = try SimulatedLab(config: config, seed: 3, logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        let r = try await HeraldingSequencer(lab: lab.lab, settings: SequencerSettings(timing: config.timing),
                                             logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
            .run(until: StopCondition(heralds: heralds))
        return RunSummary(result: r, lab: lab, seed: 3)
    }

    /// Every JSON key is documented in README's `--json` table, and every documented key is emitted.
    @Test func jsonKeysAreTheDocumentedOnes() async throws {
        let json = try await summary().json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let readme = try String(contentsOf: Self.readme, encoding: .utf8)
        let section = try #require(readme.range(of: "`--json` prints one object").map { readme[$0.upperBound...] })
        let table = section.prefix { _ in true }.components(separatedBy: "\n## ")[0]
        var documented = Set<String>()
        for line in table.split(separator: "\n") where line.hasPrefix("| `") {
            let firstCell = line.split(separator: "|")[0]
            for part in firstCell.split(separator: "`").enumerated() where part.offset % 2 == 1 { documented.insert(String(part.element)) }
        }
        #expect(Set(object.keys) == documented)
        #expect(object["heralds"] as? Int == 300)
    }

    @Test func unavailableFidelityIsNullNotMissing() async throws {
        let json = try await summary(heralds: 2).json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["fidelity_estimated"] is NSNull)
        #expect(object["fidelity_ci95"] is NSNull)
        #expect(object["fidelity_model"] is Double)
    }

    @Test func durationsParse() {
        #expect(LabDuration(argument: "10s")?.duration == .seconds(10))
        #expect(LabDuration(argument: "250ms")?.duration == .milliseconds(250))
        #expect(LabDuration(argument: "2m")?.duration == .seconds(120))
        #expect(LabDuration(argument: "1.5us")?.duration == .nanoseconds(1500))
        #expect(LabDuration(argument: "ten") == nil)
        #expect(LabDuration(argument: "-1s") == nil)
    }

    @Test func missingConfigFileIsATypedError() {
        #expect(throws: ConfigError.self) { try loadLabConfig(path: "/nonexistent/lab.yaml") }
    }
}
