import Foundation
import Testing
import IonLink
import IonLinkRecords
@testable import ionlink

@Suite struct SweepGridTests {
    @Test func rangesListsAndTheirProduct() async throws {
        let g = try SweepGrid(["hub.window_length_ns=2:20:10", "hub.detector.dark_count_rate_hz=5,500"])
        #expect(g.count == 20)
        #expect(g.axes[0].values == ["2", "4", "6", "8", "10", "12", "14", "16", "18", "20"])
        #expect(g.point(0).map(\.value) == ["2", "5"] && g.point(1).map(\.value) == ["2", "500"] && g.point(19).map(\.value) == ["20", "500"])
        #expect(try SweepGrid(["a=0:1:3"]).axes[0].values == ["0", "0.5", "1"])
        #expect(try SweepGrid(["a=7:7:1"]).axes[0].values == ["7"])
        // Issue 16, item 8: a COUNT of 1 between two different ends (read as a step) ran START alone.
        #expect {
            try SweepGrid(["a=2:40:1"])
        } throws: { e in "\(e)".contains("COUNT") && "\(e)".contains("2:40:39") }
        for bad in [["a"], ["=1,2"], ["a=1:2"], ["a=x:2:3"], ["a=1:2:0"], ["a=,"]] {
            #expect(throws: (any Error).self, "\(bad)") { try SweepGrid(bad) }
        }
        #expect(throws: (any Error).self) { try SweepGrid([]) }
        // Keys joined by + are one axis: both take each value together.
        let linked = try SweepGrid(["nodes.A.fiber_length_m+nodes.B.fiber_length_m=0:1000:3", "hub.window_length_ns=5,10"])
        #expect(linked.count == 6)
        #expect(linked.settings(2).map { "\($0.key)=\($0.value)" }
            == ["nodes.A.fiber_length_m=500", "nodes.B.fiber_length_m=500", "hub.window_length_ns=5"])
        for bad in [["a+=1,2"], ["+b=1,2"], ["a++b=1"]] {
            #expect(throws: (any Error).self, "\(bad)") { try SweepGrid(bad) }
        }
    }

    @Test func overridingSetsExactlyOneKey() async throws {
        let base = try LabConfig.defaultYAML()
        let yaml = try LabConfig.overriding(yaml: base, key: "hub.window_length_ns", value: "7.5")
        let before = try parseLabConfig(base), after = try parseLabConfig(yaml)
        #expect(after.hub.windowLength == .picoseconds(7_500) && before.hub.windowLength == .nanoseconds(20))
        #expect(after.nodes.map(\.fiberLength) == before.nodes.map(\.fiberLength))
        let fiber = try parseLabConfig(try LabConfig.overriding(yaml: base, key: "nodes.B.fiber_length_m", value: "1000"))
        #expect(fiber.nodes[1].fiberLength.meters == 1000 && fiber.nodes[0].fiberLength.meters == 5)
        #expect(throws: ConfigError.self) { try LabConfig.overriding(yaml: base, key: "hub.window_lenght_ns", value: "1") }
        #expect(throws: ConfigError.self) { try LabConfig.overriding(yaml: base, key: "hub.detector", value: "1") }
        #expect(throws: ConfigError.self) { try parseLabConfig(try LabConfig.overriding(yaml: base, key: "hub.window_length_ns", value: "-3")) }
    }
}

@Suite(.serialized) struct SweepCommandTests {
    @Test func aGridOfRecordedRunsAndItsSummary() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("sweep").path
        let r = try await CLI.ionlink(["sweep", "--set", "hub.window_length_ns=4:20:3", "--duration", "3s", "--out", out, "--json", "--jobs", "2"])
        try #require(r.status == 0, "\(r.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let points = try #require(summary["points"] as? [[String: Any]])
        #expect(points.count == 3)
        #expect(points.compactMap { ($0["set"] as? [String: String])?["hub.window_length_ns"] } == ["4", "12", "20"])
        // A longer detection window accepts more of each photon's exponential wave packet: the rate rises.
        let rates = points.compactMap { $0["herald_rate_per_s"] as? Double }
        #expect(rates.count == 3 && rates[0] < rates[1] && rates[1] < rates[2], "\(rates)")
        for p in points {
            let record = try RunRecord.read(path: try #require(p["record"] as? String))
            #expect(record.isComplete)
            #expect(record.metadata.configYAML.contains("window_length_ns: \((p["set"] as? [String: String])?["hub.window_length_ns"] ?? "?")"))
        }
        let html = try String(contentsOfFile: "\(out)/sweep.html", encoding: .utf8)
        #expect(html.components(separatedBy: "<svg").count - 1 == 4)
        #expect(html.contains("repeaterless (PLOB) bound"))
        #expect(FileManager.default.fileExists(atPath: "\(out)/sweep.json"))
    }

    /// Distance on the telecom lab: each point's bound is its attempt rate times −log₂(1 − T²), T the fiber's
    /// transmission at 0.18 dB/km (computed here), and the runs' rates stay below the bound of their whole path.
    @Test func aDistanceSweepAgainstTheRepeaterlessBound() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("sweep").path
        let lab = CLI.repo.appendingPathComponent("docs/labs/telecom-10km.yaml").path
        let r = try await CLI.ionlink(["sweep", "--config", lab, "--set", "nodes.A.fiber_length_m+nodes.B.fiber_length_m=1000,20000",
                                       "--heralds", "8", "--out", out, "--json", "--jobs", "2"])
        try #require(r.status == 0, "\(r.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let points = try #require(summary["points"] as? [[String: Any]])
        #expect(points.count == 2)
        for (p, km) in zip(points, [1.0, 20.0]) {
            let t = pow(10, -0.18 * km / 10)
            let attempts = try #require(p["attempt_rate_hz"] as? Double), bound = try #require(p["plob_bound_ebits_per_s"] as? Double)
            #expect(abs((p["channel_transmissivity"] as? Double ?? 0) - t * t) < 1e-12)
            #expect(abs(bound - attempts * -log2(1 - t * t)) < 1e-9 * bound)
            let whole = try #require(p["plob_bound_whole_path_ebits_per_s"] as? Double)
            #expect((p["herald_rate_per_s"] as? Double ?? .infinity) < whole)
        }
        // The farther point attempts more slowly (the herald's round trip) and its bound is lower.
        #expect((points[1]["attempt_rate_hz"] as? Double ?? 1) < (points[0]["attempt_rate_hz"] as? Double ?? 0))
    }

    @Test func aBadKeyIsNamedBeforeAnythingRuns() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("sweep").path
        let r = try await CLI.ionlink(["sweep", "--set", "hub.window_lenght_ns=4:20:3", "--out", out])
        #expect(r.status == 2 && r.stderr.contains("hub.window_lenght_ns"))
        let bad = try await CLI.ionlink(["sweep", "--set", "hub.window_length_ns=-5,10", "--out", out])
        #expect(bad.status == 2 && bad.stderr.contains("point 1"), "an out-of-range value is bad config (exit 2), not 64")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing written")
    }
}
