import Foundation
import Testing

/// `ionlink serve` as processes: the distributed run against the single-process one, the Python client,
/// and what a node refuses to start with.
@Suite(.serialized) struct ServeCommandTests {
    @Test func distributedRunGivesTheSingleProcessStatistics() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tokens = TestTokens()
        try tokens.write(to: dir)
        // Hub (holding the simulated ions), then the two trap nodes reaching their ions through it.
        let hub = try await ServedNode.start(["--part", "hub", "--tokens", "tokens.yaml", "--seed", "7"], in: dir)
        defer { hub.stop() }
        let a = try await ServedNode.start(["--part", "nodeA", "--tokens", "tokens.yaml", "--world", hub.address,
                                            "--world-token-file", "nodes.token"], in: dir)
        defer { a.stop() }
        let b = try await ServedNode.start(["--part", "nodeB", "--tokens", "tokens.yaml", "--world", hub.address,
                                            "--world-token-file", "nodes.token"], in: dir)
        defer { b.stop() }
        try """
            distributed:
              lab: default
              token_file: control.token
              nodeA: \(a.address)
              nodeB: \(b.address)
              hub: \(hub.address)
            """.write(to: dir.appendingPathComponent("distributed.yaml"), atomically: true, encoding: .utf8)
        let distributed = try await CLI.ionlink(["run", "--config", "distributed.yaml", "--seed", "7", "--heralds", "300", "--json", "--no-record"],
                                                in: dir)
        try #require(distributed.status == 0, "\(distributed.stderr)")
        let single = try await CLI.ionlink(["run", "--seed", "7", "--heralds", "300", "--json", "--no-record"], in: dir)
        try #require(single.status == 0, "\(single.stderr)")
        let d = try #require(try JSONSerialization.jsonObject(with: Data(distributed.stdout.utf8)) as? [String: Any])
        let s = try #require(try JSONSerialization.jsonObject(with: Data(single.stdout.utf8)) as? [String: Any])
        #expect(d["heralds"] as? Int == 300)
        // Every statistic of the summary, exactly (nothing in it is wall time).
        #expect(Set(d.keys) == Set(s.keys))
        for (key, value) in s {
            #expect((d[key] as? NSObject)?.isEqual(value) == true, "\(key): distributed \(d[key] ?? "none"), single \(value)")
        }

        // The hub refuses a coordinator asking for another seed (its statistics would not be that seed's).
        let wrongSeed = try await CLI.ionlink(["run", "--config", "distributed.yaml", "--seed", "8", "--heralds", "10", "--no-record"], in: dir)
        #expect(wrongSeed.status != 0)
        #expect(wrongSeed.stderr.contains("seed 7"))
    }

    @Test func pythonClientRunsHeraldingAndIsRefusedWhatItMayNotDo() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tokens = TestTokens()
        try tokens.write(to: dir)
        let node = try await ServedNode.start(["--tokens", "tokens.yaml", "--seed", "3"], in: dir)
        defer { node.stop() }
        let r = try await CLI.python("python/client_checks.py", [node.address, tokens.control, tokens.observe])
        #expect(r["example_status"] as? Int == 0)
        let example = try #require(r["example"] as? [String: Any])
        #expect(example["heralds"] as? Int == 300)
        #expect(example["phase"] as? Int == 2)
        let p = try #require(example["success_probability"] as? Double), err = try #require(example["success_probability_stderr"] as? Double)
        let model = try #require(example["model_success_probability"] as? Double)
        #expect(abs(p - model) < 5 * err, "P \(p) ± \(err) vs model \(model)")
        let f = try #require(example["fidelity"] as? Double), ci = try #require(example["fidelity_ci95"] as? Double)
        #expect(abs(f - (example["model_fidelity"] as? Double ?? 0)) < 2.5 * ci)
        #expect(r["wrong_token"] as? String == "UNAUTHENTICATED")
        #expect(r["observer_role"] as? Int == 1)
        #expect(r["observer_status"] as? String == "OK")
        #expect(r["observer_set_power"] as? String == "PERMISSION_DENIED")
        #expect(r["observer_run"] as? String == "PERMISSION_DENIED")
        #expect(r["past_limit"] as? String == "OUT_OF_RANGE")
        #expect(r["past_limit_fault_trailer"] as? Bool == true)
        #expect(r["watched_run"] as? Int == r["killed_client_run"] as? Int)
        #expect(r["watched_phase"] as? Int == 2)
        #expect(r["watched_heralds"] as? Int == 400)
        // The node's log names who started each run (it said 'principal=?': the caller was lost in the
        // streaming call's body).
        node.stop()
        let log = String(decoding: node.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let starts = log.split(separator: "\n").filter { $0.contains("run started") }
        #expect(!starts.isEmpty && starts.allSatisfy { $0.contains("principal=alice") }, "\(starts)")
    }

    @Test func sigtermDuringARunStopsItAndLeavesTheLabSafe() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tokens = TestTokens()
        try tokens.write(to: dir)
        let node = try await ServedNode.start(["--tokens", "tokens.yaml"], in: dir)
        defer { node.stop() }
        let (runner, _, _) = try CLI.start(URL(fileURLWithPath: "/usr/bin/env"),
                                           ["python3", CLI.repo.appendingPathComponent("Clients/python/example_run.py").path, "--node",
                                            node.address, "--token-file", dir.appendingPathComponent("control.token").path,
                                            "--heralds", "1000000", "--pace", "1"])
        defer { kill(runner.processIdentifier, SIGKILL); runner.waitUntilExit() }
        try await Task.sleep(for: .seconds(2))
        node.process.terminate()
        // The node stops the run (a stream was open on it), leaves the lab safe and exits, within seconds.
        let exited = await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            DispatchQueue.global().async {
                let deadline = Date().addingTimeInterval(30)
                while node.process.isRunning && Date() < deadline { usleep(50_000) }
                c.resume(returning: !node.process.isRunning)
            }
        }
        #expect(exited, "ionlink serve still running 30 s after SIGTERM")
        guard exited else { return }
        let stderr = String(decoding: node.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(node.process.terminationStatus == 0, "\(stderr)")
        #expect(stderr.contains("run finished"), "\(stderr)")
        #expect(stderr.contains("safe state"), "\(stderr)")
    }

    @Test func nodeRefusesToStartWithASharedTokensFileOrHalfTLS() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try TestTokens().write(to: dir)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir.appendingPathComponent("tokens.yaml").path)
        let open = try await CLI.ionlink(["serve", "--port", "0", "--tokens", "tokens.yaml"], in: dir)
        #expect(open.status == 2)
        #expect(open.stderr.contains("chmod 600"))
        let halfTLS = try await CLI.ionlink(["serve", "--port", "0", "--tokens", "tokens.yaml", "--client-ca", "ca.pem"], in: dir)
        #expect(halfTLS.status != 0)
        #expect(halfTLS.stderr.contains("--client-ca"))
    }
}

/// The live dashboard, as headless Chromium shows it while a run goes on.
@Suite(.serialized) struct DashboardTests {
    @Test func chromiumShowsTheRunningNodeLive() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tokens = TestTokens()
        try tokens.write(to: dir)
        let (p, out, err) = try CLI.start(CLI.ionlink, ["serve", "--port", "0", "--dashboard-port", "0", "--tokens", "tokens.yaml"], in: dir)
        defer { if p.isRunning { p.terminate() }; p.waitUntilExit() }
        // Two lines: the dashboard's port, then the node's.
        let lines = await withCheckedContinuation { (c: CheckedContinuation<[String], Never>) in
            DispatchQueue.global().async {
                var lines: [String] = [], line = Data()
                while lines.count < 2 {
                    let b = out.fileHandleForReading.readData(ofLength: 1)
                    if b.isEmpty { break }
                    if b == Data("\n".utf8) { lines.append(String(decoding: line, as: UTF8.self)); line = Data() } else { line += b }
                }
                c.resume(returning: lines)
            }
        }
        try #require(lines.count == 2, "serve printed \(lines); stderr: \(String(decoding: err.fileHandleForReading.availableData, as: UTF8.self))")
        let dashboardPort = try #require(lines[0].split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let nodePort = try #require(lines[1].split(separator: ":").last.flatMap { Int($0) })
        // A run at the pace of real time, started by the Python client, goes on while the browser looks.
        let tokenFile = dir.appendingPathComponent("control.token").path
        let (runner, _, _) = try CLI.start(URL(fileURLWithPath: "/usr/bin/env"),
                                           ["python3", CLI.repo.appendingPathComponent("Clients/python/example_run.py").path, "--node",
                                            "127.0.0.1:\(nodePort)", "--token-file", tokenFile, "--heralds", "1000000", "--pace", "1"])
        // SIGKILL: grpcio's threads keep SIGTERM blocked while a stream is open.
        defer { kill(runner.processIdentifier, SIGKILL); runner.waitUntilExit() }
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "apt-get install chromium")
        let r = try await CLI.python("dashboard/watch_in_chromium.py", ["http://127.0.0.1:\(dashboardPort)/?token=\(tokens.observe)", "2"])
        let first = try #require(r["first"] as? [String: Any]), second = try #require(r["second"] as? [String: Any])
        #expect(r["no_token_status"] as? Int == 401)
        #expect(first["title"] as? String == "IonLink node")
        #expect(second["phase"] as? String == "running")
        let u1 = try #require(first["updates"] as? Int), u2 = try #require(second["updates"] as? Int)
        #expect(u1 >= 1 && u2 >= u1 + 2, "the page keeps updating (\(u1) then \(u2) snapshots)")
        let h1 = Int(first["heralds"] as? String ?? "") ?? -1, h2 = Int(second["heralds"] as? String ?? "") ?? -1
        #expect(h2 > h1 && h1 >= 0, "heralds shown rise while the run goes on (\(h1) then \(h2))")
        #expect((second["rate"] as? String ?? "").hasSuffix("/s"))
        #expect((second["fidelity"] as? String ?? "").contains("±"))
        #expect(second["fmodel"] as? String == "0.9698")
        let devices = try #require(second["devices"] as? [[String]])
        #expect(devices.count == 10)
        #expect(devices.allSatisfy { $0.first == "ok" })
        #expect((second["spark"] as? Int ?? 0) > 0, "the rate history is drawn")
    }
}
