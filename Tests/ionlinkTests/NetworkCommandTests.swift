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

    /// `--link-lengths` between buildings: each hop's link is the telecom lab's at that length, its attempt the pulses,
    /// the detection wait, the herald's round trip 2·L·n_g/c and the share of cooling (computed here from the lab's
    /// timing); bad lengths are refused before anything runs.
    @Test func hopsBetweenBuildingsTakeTheirLengthsLink() async throws {
        let lab = CLI.repo.appendingPathComponent("docs/labs/telecom-10km.yaml").path
        let out = try await CLI.ionlink(["network", "--config", lab, "--nodes", "12", "--hubs", "4", "--hops", "2", "--link-lengths", "10000,50",
                                         "--duration", "3600s", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let hops = try #require(object["hop_links"] as? [[String: Any]])
        #expect(hops.count == 2)
        for (hop, meters) in zip(hops, [10_000.0, 50]) {
            // pump 600 ns + excite 50 ns + detect 100 ns + round trip + cool 1000 µs / 2000 attempts.
            let expected = 750e-9 + 2 * meters * 1.468 / 299_792_458 + 0.5e-6
            #expect(abs((hop["attempt_period_s"] as? Double ?? 0) - expected) < 1e-12, "\(hop)")
            #expect(hop["fiber_length_m"] as? Double == meters)
        }
        // The long hop loses more in its fiber (0.18 dB/km): a lower success probability.
        #expect((hops[0]["success_probability"] as? Double ?? 1) < (hops[1]["success_probability"] as? Double ?? 0))
        for bad in ["-5", "1e7", "x", "5,,6"] {
            let r = try await CLI.ionlink(["network", "--link-lengths", bad])
            #expect(r.status != 0 && r.stderr.contains("--link-lengths"), "\(bad): \(r.stderr)")
        }
    }
}
