import Foundation
import Testing

/// `ionlink network` end to end: the default lab's link copied into a 64-trap, 8-hub network.
@Suite struct NetworkCommandTests {
    @Test func sixtyFourTrapsGiveEveryPairARateAndAFidelity() async throws {
        let out = try await CLI.ionlink(["network", "--duration", "10s", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let pairs = try #require(object["pairs"] as? [[String: Any]])
        #expect(object["nodes"] as? Int == 64 && object["hubs"] as? Int == 8 && pairs.count == 21)
        // 8 hubs, each 1 ms of switching plus T/p of attempts per link, two links a pair.
        let period = try #require(object["attempt_period_s"] as? Double), p = try #require(object["success_probability"] as? Double)
        let expected = 8 / (1e-3 + period / p) / 2
        let total = Double(try #require(object["delivered"] as? Int)) / 10
        #expect(abs(total - expected) / expected < 0.03, "\(total) pairs/s vs \(expected)")
        let heralded = try #require(object["heralded_fidelity"] as? Double)
        for pair in pairs {
            let f = try #require(pair["mean_fidelity"] as? Double)
            #expect(f > 0.9 && f < heralded, "a swapped pair is worse than a heralded one: \(f)")
        }
        let bad = try await CLI.ionlink(["network", "--nodes", "1"])
        #expect(bad.status != 0 && bad.stderr.contains("--nodes"))
    }
}
