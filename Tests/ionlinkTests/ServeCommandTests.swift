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
