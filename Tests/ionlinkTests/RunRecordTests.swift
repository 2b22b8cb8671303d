import Foundation
import Testing
import IonLinkRecords

/// `ionlink run`'s HDF5 record, read back by h5py; a real run killed with SIGKILL, then resumed.
@Suite(.serialized) struct RunRecordTests {
    @Test func h5pyReadsWhatTheRunPrinted() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await CLI.ionlink(["run", "--duration", "5s", "--seed", "11", "--json"], in: dir)
        try #require(r.status == 0, "\(r.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let record = try #require(summary["record"] as? String)
        #expect(record.hasPrefix("runs/run-") && record.hasSuffix("-seed11.h5"))
        let h5 = try await CLI.python("records/read_with_h5py.py", [dir.appendingPathComponent(record).path])
        #expect(h5["format"] as? String == "ionlink-run/2")
        #expect(h5["swmr"] as? Bool == false, "a finished run's file opens normally")
        #expect(h5["seed"] as? Int == 11)
        #expect(h5["herald_rows"] as? Int == summary["heralds"] as? Int)
        #expect(h5["heralds_in_blocks"] as? Int == summary["heralds"] as? Int)
        let last = try #require(h5["last_block"] as? [String: Any])
        #expect(last["attempts"] as? Int == summary["attempts"] as? Int)
        let byPattern = try #require(summary["heralds_by_pattern"] as? [String: Int])
        #expect((h5["pattern_counts"] as? [Int])?.reduce(0, +) == byPattern.values.reduce(0, +))
        let fidelity = try #require(summary["fidelity_estimated"] as? Double)
        #expect(abs((h5["fidelity_from_blocks"] as? Double ?? 0) - fidelity) < 1e-12)
        #expect(h5["lab_time_strictly_increasing"] as? Bool == true)
        #expect(h5["click_rows"] as? Int == h5["clicks_per_herald_sum"] as? Int)
        let model = try #require(h5["model"] as? [String: Double])
        #expect(model["success_probability_analytic"] == summary["success_probability_analytic"] as? Double)
        let yaml = try #require(h5["config_yaml"] as? String)
        #expect(yaml.contains("nodes:") || yaml.contains("node"), "the full lab YAML is kept")
        #expect((h5["devices"] as? [String])?.contains("nodeA.trap") == true)
        let stored = try #require((h5["summary"] as? [String: Any]))
        #expect(stored["heralds"] as? Int == summary["heralds"] as? Int)
    }

    /// A run killed with SIGKILL leaves a file h5py opens (SWMR read), holding every block up to its last
    /// flush, no more than about a second before the kill; `--resume` finishes it with no herald twice.
    /// The run is paced (20 s of lab time per wall second) so that it is mid-way when killed and leaves
    /// the CPU to the timing-sensitive tests running beside it.
    @Test func killedRunKeepsItsFlushesAndResumes() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("killed.h5").path
        let started = Date()
        let (p, _, _) = try CLI.start(CLI.ionlink, ["run", "--duration", "300s", "--seed", "5", "--record", file, "--pace", "20"])
        // Wait (reading the live file in SWMR mode, as a dashboard would) for two flushes, then a bit more.
        var seen = 0
        while seen < 2 && Date().timeIntervalSince(started) < 60 {
            try await Task.sleep(for: .milliseconds(250))
            seen = (try? RunRecord.read(path: file))?.blocks.count ?? 0
        }
        try await Task.sleep(for: .milliseconds(600))
        try #require(p.isRunning, "the run must still be going when it is killed")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let killedAfter = Date().timeIntervalSince(started)
        #expect(p.terminationReason == .uncaughtSignal)

        let killed = try await CLI.python("records/read_with_h5py.py", [file])
        #expect(killed["swmr"] as? Bool == true, "a killed writer's file needs SWMR read mode")
        #expect(killed["summary"] is NSNull)
        let walls = try #require(killed["wall_times"] as? [Double])
        try #require(walls.count >= 2, "flushes once a second: \(walls)")
        // The bound: flushes come a second apart, and the last one is at most ~1 s (plus the process's
        // start-up) before the kill.
        #expect(zip(walls, walls.dropFirst()).allSatisfy { $1 - $0 < 1.5 }, "\(walls)")
        #expect(killedAfter - walls.last! < 2.5, "last flush \(walls.last!) s, killed at \(killedAfter) s")
        let before = try #require(killed["heralds_in_blocks"] as? Int)
        #expect(before > 0 && (killed["herald_rows"] as? Int ?? 0) >= before)

        // The same file cut short (as a copy): libhdf5's SWMR reader used to retry on it forever; now
        // `report` and `--resume` refuse it at once (exit 2, "truncated"), each given 20 s at most.
        let whole = try Data(contentsOf: URL(fileURLWithPath: file))
        let cut = dir.appendingPathComponent("cut.h5").path
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cut))
        for arguments in [["report", cut, "-o", dir.appendingPathComponent("cut.html").path], ["run", "--resume", cut]] {
            let (q, _, err) = try CLI.start(CLI.ionlink, arguments)
            guard let status = try await CLI.exitStatus(of: q, within: 20) else {
                Issue.record("\(arguments[0]) on a truncated record still running after 20 s")
                continue
            }
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(status == 2 && text.contains("truncated"), "\(arguments[0]): \(status) \(text)")
        }
        // The whole file with 512 bytes of metadata overwritten: a SWMR read whose checksum fails was retried
        // 100 times with sleeps up to 1 s (`report` still running after 60 s); now 12 times. Wherever the
        // damage lands, the report ends within 20 s, with the record or with exit 2.
        for offset in [1024, 8192, 20_000] {
            var damaged = whole
            damaged.replaceSubrange(offset..<(offset + 512), with: [UInt8](repeating: 0xFF, count: 512))
            let path = dir.appendingPathComponent("damaged-\(offset).h5").path
            try damaged.write(to: URL(fileURLWithPath: path))
            let (q, _, _) = try CLI.start(CLI.ionlink, ["report", path, "-o", dir.appendingPathComponent("damaged.html").path])
            guard let status = try await CLI.exitStatus(of: q, within: 20) else {
                Issue.record("report on a record damaged at byte \(offset) still running after 20 s")
                continue
            }
            #expect([0, 2].contains(status), "damaged at \(offset): \(status)")
        }

        let r = try await CLI.ionlink(["run", "--resume", file, "--json", "--pace", "100"])
        try #require(r.status == 0, "\(r.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let done = try await CLI.python("records/read_with_h5py.py", [file])
        #expect(done["swmr"] as? Bool == false && done["resumes"] as? Int == 1)
        #expect(done["herald_rows"] as? Int == summary["heralds"] as? Int, "every herald once: the kill's unflushed rows were trimmed")
        #expect((done["herald_rows"] as? Int ?? 0) > before)
        #expect(done["attempts_strictly_increasing"] as? Bool == true && done["lab_time_strictly_increasing"] as? Bool == true)
        #expect((summary["lab_time_s"] as? Double ?? 0) >= 300, "the resumed run stops at the original 300 s of lab time")
        #expect((done["wall_times"] as? [Double]).map { zip($0, $0.dropFirst()).allSatisfy { $0 <= $1 } } == true)
        // Statistically the same run: P within 5σ of the model.
        let p0 = try #require(summary["success_probability_model"] as? Double), pm = try #require(summary["success_probability"] as? Double)
        let se = try #require(summary["success_probability_stderr"] as? Double)
        #expect(abs(pm - p0) < 5 * se + 0.02 * p0)
    }

    /// Missing, truncated, foreign and finished files: a clear error, exit status 2, and the file untouched.
    @Test func badFilesAreRefusedAndLeftAlone() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = try await CLI.ionlink(["run", "--resume", dir.appendingPathComponent("nope.h5").path])
        #expect(missing.status == 2 && missing.stderr.contains("no such file"))

        let text = dir.appendingPathComponent("notes.h5")
        try Data("not hdf5\n".utf8).write(to: text)
        let foreign = try await CLI.ionlink(["run", "--resume", text.path])
        #expect(foreign.status == 2 && foreign.stderr.contains("not an HDF5 file"))
        #expect(try Data(contentsOf: text) == Data("not hdf5\n".utf8))

        let good = dir.appendingPathComponent("good.h5")
        let r = try await CLI.ionlink(["run", "--duration", "1s", "--record", good.path])
        try #require(r.status == 0, "\(r.stderr)")
        let complete = try Data(contentsOf: good)
        let again = try await CLI.ionlink(["run", "--resume", good.path])
        #expect(again.status == 2 && again.stderr.contains("nothing to resume"))
        #expect(try Data(contentsOf: good) == complete)

        let truncated = dir.appendingPathComponent("truncated.h5")
        try complete.prefix(complete.count / 2).write(to: truncated)
        let cut = try await CLI.ionlink(["run", "--resume", truncated.path])
        #expect(cut.status == 2 && cut.stderr.contains(truncated.path))
        #expect(try Data(contentsOf: truncated) == complete.prefix(complete.count / 2))

        let other = dir.appendingPathComponent("other.h5")
        _ = try await CLI.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", "-c", "import h5py; h5py.File('\(other.path)', 'w').create_dataset('x', data=[1, 2, 3])"])
        let otherBytes = try Data(contentsOf: other)
        let wrong = try await CLI.ionlink(["run", "--resume", other.path])
        #expect(wrong.status == 2 && wrong.stderr.contains("not an IonLink run record"))
        #expect(try Data(contentsOf: other) == otherBytes)

        // An existing file is never overwritten by a new run.
        let clash = try await CLI.ionlink(["run", "--duration", "1s", "--record", good.path])
        #expect(clash.status == 2 && clash.stderr.contains("cannot create"))
        #expect(try Data(contentsOf: good) == complete)
    }
}
