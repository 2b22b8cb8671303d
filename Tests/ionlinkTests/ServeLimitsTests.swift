import Foundation
import Testing

/// Issue 16, item 3: a node's connection limits, from the wire (Tests/python/stream_limits.py).
@Suite(.serialized) struct ServeLimitsTests {
    @Test func aNodeAdvertisesItsStreamLimitAndClosesIdleAndSilentConnections() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tokens = TestTokens()
        try tokens.write(to: dir)
        let node = try await ServedNode.start(["--tokens", "tokens.yaml", "--idle-timeout", "2s"], in: dir)
        defer { node.stop() }
        let r = try await CLI.python("python/stream_limits.py", ["127.0.0.1", "\(node.port)", tokens.control, "8"])
        // SETTINGS_MAX_CONCURRENT_STREAMS in the server's first frame (it was absent: a client could not know).
        #expect(r["max_concurrent_streams"] as? Int == 100)
        // 300 calls at once on one connection, with a run streaming on it: all answered, the run unharmed
        // (the 101st stream used to draw GOAWAY(PROTOCOL_ERROR) and kill them all).
        #expect((r["concurrent_calls"] as? [String: Int]) == ["OK": 300])
        let run = try #require(r["run_alongside"] as? [String: Any])
        #expect((run["heralds"] as? Int ?? 0) > 0 && run["error"] == nil, "\(run)")
        // That run outlived the silent-connection timeout (2 + 2 + 1 s): a live client is never cut.
        #expect((run["wall_s"] as? Double ?? 0) > 6)
        // An idle connection: GOAWAY(NO_ERROR) after the idle timeout, closed on the ping's ack.
        let goaway = try #require(r["idle_goaway_after_s"] as? Double)
        #expect(goaway >= 1.9 && goaway < 4, "\(goaway)")
        #expect(r["idle_goaway_error_code"] as? Int == 0)
        #expect((r["idle_closed_after_s"] as? Double ?? 99) < 4)
        // Clients that never answer (a preface and nothing more; a bare TCP socket): closed after 2 + 2 + 1 s.
        for key in ["silent_h2_closed_after_s", "silent_tcp_closed_after_s"] {
            let t = try #require(r[key] as? Double, "\(key) still open after 60 s")
            #expect(t >= 4.5 && t < 9, "\(key): \(t)")
        }
    }

    @Test func limitsOutsideTheirRangeAreRefusedAtStart() async throws {
        for arguments in [["--max-streams", "0"], ["--max-streams", "10001"], ["--idle-timeout", "0.5s"], ["--idle-timeout", "25h"],
                          ["--idle-timeout", "1e300s"]] {
            let r = try await CLI.run(CLI.ionlink, ["serve", "--tokens", "/nonexistent"] + arguments)
            #expect(r.status == 2, "\(arguments): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(arguments[0]) || r.stderr.contains("outside"), "\(arguments): \(r.stderr)")
        }
    }
}
