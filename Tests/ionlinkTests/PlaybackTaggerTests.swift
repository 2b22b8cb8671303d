import Foundation
import Testing
import IonLink
import IonLinkAssembly

/// `hub.tagger` bound to a recording: `ionlink run` with the playback tagger finds, through its attempt
/// loop on the tagger's stream and the herald engine, the heralds `ionlink replay` finds in the same
/// file, pattern by pattern, and ends where the file ends.
@Suite(.serialized) struct PlaybackTaggerTests {
    @Test func aRunOnARecordingFindsTheHeraldsReplayFinds() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ptu = dir.appendingPathComponent("tags.ptu").path, lab = dir.appendingPathComponent("lab.yaml").path
        let record = try await CLI.ionlink(["run", "--duration", "2s", "--tags", ptu, "--no-record"])
        try #require(record.status == 0, "\(record.stderr)")
        let yaml = try LabConfig.defaultYAML()
        try yaml.write(toFile: lab, atomically: true, encoding: .utf8)

        let replay = try await CLI.ionlink(["replay", ptu, "--config", lab, "--json"])
        try #require(replay.status == 0, "\(replay.stderr)")
        let found = try #require(try JSONSerialization.jsonObject(with: Data(replay.stdout.utf8)) as? [String: Any])
        let byPattern = try #require(found["heralds"] as? [String: Int])
        let total = byPattern.values.reduce(0, +)
        #expect(total > 300, "a 2 s run heralds about 540 times")

        let bound = dir.appendingPathComponent("playback.yaml").path
        try (yaml + "\ndevices:\n  hub.tagger: { model: playback, port: \"\(ptu)\" }\n").write(toFile: bound, atomically: true, encoding: .utf8)
        let run = try await CLI.ionlink(["run", "--config", bound, "--heralds", "1000000", "--no-record", "--json"])
        try #require(run.status == 0, "\(run.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(summary["heralds"] as? Int == total, "every herald of the file, none twice")
        #expect(summary["heralds_by_pattern"] as? [String: Int] == byPattern)
        #expect(summary["failure"] is NSNull, "the file's end ends the run")
        #expect((summary["instruments"] as? [String: String])?["hub.tagger"]?.contains("Recording tags.ptu") == true)
        // The tagger's part: attempts counted from its syncs equal the bursts' (and the file's syncs, all
        // of them decided), its click rates are the file's, and the host's decision latency is reported.
        let tagger = try #require(summary["tagger"] as? [String: Any])
        #expect(tagger["attempts_agree"] as? Bool == true)
        #expect(tagger["attempts_from_syncs"] as? Int == summary["attempts"] as? Int)
        #expect(tagger["syncs"] as? Int == found["syncs"] as? Int)
        let rates = try #require(tagger["rates_hz"] as? [String: Double]), fileRates = try #require(found["rates_hz"] as? [String: Double])
        for (channel, rate) in rates {  // the lab's channel c is the file's input c + 1
            let input = "\((Int(channel) ?? -9) + 1)"
            #expect(abs(rate - (fileRates[input] ?? 0)) <= 0.01 * rate, "channel \(channel): \(rate) vs \(fileRates)")
        }
        #expect(rates.count == 4)
        let p50 = try #require(tagger["decision_latency_p50_us"] as? Double), p99 = try #require(tagger["decision_latency_p99_us"] as? Double)
        #expect(p50 > 0 && p50 <= p99)
    }

    @Test func recordingsThatCannotServeAreRefused() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let yaml = try LabConfig.defaultYAML()
        for (port, why) in [("/nonexistent/tags.ptu", "tags.ptu"), ("/etc/hostname", "hostname")] {
            let path = dir.appendingPathComponent("bad.yaml").path
            try (yaml + "\ndevices:\n  hub.tagger: { model: playback, port: \"\(port)\" }\n").write(toFile: path, atomically: true, encoding: .utf8)
            let run = try await CLI.ionlink(["run", "--config", path, "--duration", "1s", "--no-record"])
            #expect(run.status == 2 && run.stderr.contains("devices.hub.tagger") && run.stderr.contains(why), "\(run.stderr)")
        }
        let live = dir.appendingPathComponent("live.yaml").path
        try (yaml + "\ndevices:\n  hub.tagger: { model: tdc1, port: /dev/ttyUSB9 }\n").write(toFile: live, atomically: true, encoding: .utf8)
        let run = try await CLI.ionlink(["run", "--config", live, "--duration", "1s", "--no-record"])
        #expect(run.status == 2 && run.stderr.contains("devices.hub.tagger"), "\(run.stderr)")
    }
}
