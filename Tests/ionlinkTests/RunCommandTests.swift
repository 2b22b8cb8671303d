import Foundation
import Logging
import Testing
import IonLink
import IonLinkAssembly
import IonLinkPhysics
@testable import IonLinkSequencer
import IonLinkSimulation
import IonLinkTags
@testable import ionlink

@Suite struct RunCommandTests {
    /// The repository's `docs/` folder, whose pages some tests read.
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs")

    func summary(heralds: Int = 300) async throws -> RunSummary {
        let config = try loadLabConfig(path: nil)
        let lab = try SimulatedLab(config: config, seed: 3, logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        let r = try await HeraldingSequencer(lab: lab.lab, settings: SequencerSettings(timing: config.timing),
                                             logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
            .run(until: StopCondition(heralds: heralds))
        return RunSummary(result: r, model: lab.model, seed: 3)
    }

    /// The summary a record or a served run's last update carries reads back as the same summary: the
    /// same JSON and the same text, data-keyed dictionaries (`ion_checks`, fault kinds) spelled as written.
    @Test func summaryJSONReadsBackAsTheSameSummary() async throws {
        var s = try await summary(heralds: 40)
        s.faults = ["ion_loss": .init(count: 2, timeLostS: 1.5), "detector_latch": .init(count: 1, timeLostS: 0.25)]
        s.instruments = ["nodeA.excitation": "Coherent OBIS 488nm LX 100mW s/n 176543 fw V3.0.1"]
        s.record = "runs/a_b.h5"
        let back = try RunSummary(json: try s.json())
        #expect(try back.json() == (try s.json()))
        #expect(back.text() == s.text())
        #expect(back.timeS["ion_checks"] != nil && back.faults["ion_loss"]?.count == 2)
        #expect(throws: (any Error).self) { try RunSummary(json: "{\"lab\": 3}") }
        // A record written before the attempt timing and conversion keys existed still reads.
        var old = try #require(try JSONSerialization.jsonObject(with: Data(s.json().utf8)) as? [String: Any])
        for key in ["attempt_period_us", "herald_round_trip_us", "attempt_limited_by", "conversion", "noise_clicks_per_detector_hz"] {
            old[key] = nil
        }
        let older = try RunSummary(json: String(decoding: try JSONSerialization.data(withJSONObject: old), as: UTF8.self))
        #expect(older.heralds == s.heralds && older.attemptLimitedBy == "unknown" && older.conversion.isEmpty)
    }

    /// Every JSON key is documented in the `--json` table of docs/run.md, and every documented key is emitted.
    @Test func jsonKeysAreTheDocumentedOnes() async throws {
        let json = try await summary().json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let page = try String(contentsOf: Self.docs.appendingPathComponent("run.md"), encoding: .utf8)
        let section = try #require(page.range(of: "`--json` prints one object").map { page[$0.upperBound...] })
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

@Suite struct ReplayFlagTests {
    @Test func timeBinPatternsFromFlags() throws {
        var slots: [EngineSlot] = [], patterns: [EnginePattern] = []
        try ReplayCommand.addPatterns(["psi-=1,2+100ns", "psi-=2,1+100ns", "psi+=1,1+100ns", "psi+=2,2+100ns"],
                                      window: 674_000...695_000, slots: &slots, patterns: &patterns)
        #expect(slots.count == 4, "early and late slots of two detectors, shared by the patterns")
        #expect(slots.contains(EngineSlot(channel: 1, window: 774_000...795_000)))
        #expect(patterns.map(\.slots.count) == [2, 2, 2, 2])
        var engine = HeraldEngine(syncChannel: 0, slots: slots, patterns: patterns)
        let tags = [TimeTag(channel: 0, picoseconds: 0), TimeTag(channel: 1, picoseconds: 680_000), TimeTag(channel: 1, picoseconds: 781_000)]
        #expect((engine.process(tags) + engine.flush()).map(\.pattern) == [2], "early and late on one detector: ψ⁺")
        #expect(throws: (any Error).self) {
            var s: [EngineSlot] = [], p: [EnginePattern] = []
            try ReplayCommand.addPatterns(["bad=x"], window: 0...1, slots: &s, patterns: &p)
        }
        #expect(try ReplayCommand.picoseconds("1.5us") == 1_500_000)
    }

    /// `ionlink replay --json` emits exactly the keys docs/tags.md lists, with the engine's counts.
    @Test func replayJSONKeysAreTheDocumentedOnes() throws {
        let tags = [TimeTag(channel: 0, picoseconds: 1_000), TimeTag(channel: 1, picoseconds: 11_000), TimeTag(channel: 4, picoseconds: 12_000),
                    TimeTag(channel: 0, picoseconds: 1_001_000), TimeTag(channel: 2, picoseconds: 1_015_000),
                    TimeTag(channel: 0, picoseconds: 2_001_000), TimeTag(channel: 1, picoseconds: 2_002_000),
                    TimeTag(channel: 3, picoseconds: 2_003_000), TimeTag(channel: 2, picoseconds: 2_004_000)]
        let bytes = TTTRBytes(PTUFile.writeT2(tags))
        var slots: [EngineSlot] = [], patterns: [EnginePattern] = []
        try ReplayCommand.addPatterns(["psi-=1,4", "psi-=3,2"], window: 0...20_000, slots: &slots, patterns: &patterns)
        let totals = try TTTRReplay.run(bytes, layout: TTTRFile.layout(bytes), engine: HeraldEngine(syncChannel: 0, slots: slots, patterns: patterns),
                                        correlator: Correlator(channelA: 1, channelB: 4, binWidth: 1_000, range: 50_000))
        let summary = ReplaySummary(totals: totals, file: "t.ptu", sync: 0, patterns: patterns)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(summary.json().utf8)) as? [String: Any])
        let page = try String(contentsOf: RunCommandTests.docs.appendingPathComponent("tags.md"), encoding: .utf8)
        let sentence = try #require(page.range(of: "`--json` prints `file`").map { page[page.index($0.lowerBound, offsetBy: 15)...] })
        let text = sentence.components(separatedBy: ".\n")[0]
        var documented = Set<String>()
        for part in text.split(separator: "`").enumerated() where part.offset % 2 == 1 { documented.insert(String(part.element)) }
        documented.subtract(["g2_at_zero", "peak_tau_ps", "pairs", "--g2"])
        #expect(Set(object.keys) == documented)
        #expect(object["syncs"] as? Int == 3)
        #expect(object["heralds"] as? [String: Int] == ["psi-": 1], "ch1+ch4 in the first period; the third has ch1, ch3 and ch2")
        #expect(object["coincidences"] as? Int == 2)
        #expect((object["clicks"] as? [String: Int])?["2"] == 2)
        #expect(summary.text().contains("coincidence 2 sync periods with two or more slots clicked"))
    }
}
