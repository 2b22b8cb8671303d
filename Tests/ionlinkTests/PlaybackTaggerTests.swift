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
