import Foundation
import IonLinkFuzzing
import Testing
@testable import IonLinkController

/// The pc_rpc fuzzer's harness (`PcRpcFuzzing`, run by `Fuzz/`'s `FuzzPcRpc`) on its seed corpus: every line
/// of hostile or broken requests is answered with a well-formed reply until the session ends.
struct PcRpcFuzzTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus/FuzzPcRpc")

    static var seeds: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).sorted()
    }

    @Test func theCorpusIsThere() {
        #expect(Self.seeds.count >= 6)
    }

    @Test(arguments: seeds)
    func everyLineIsAnswered(seed: String) async throws {
        let input = Array(try Data(contentsOf: Self.corpus.appendingPathComponent(seed)))
        let lines = String(decoding: input.dropFirst(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let replies = try #require(await PcRpcFuzzing.exercise(input))
        let terminated = seed.contains("terminate")
        #expect(replies.count == (terminated ? 2 : lines.count), "\(seed)")
        for (i, reply) in replies.enumerated() {
            let r = try PyonValue(json: try #require(reply, "\(seed) line \(i) unanswered"))
            let status = r["status"]
            #expect(status == .string("ok") || status == .string("failed"), "\(seed) line \(i): \(r.json())")
            if status == .string("failed"), case let .string(cls)? = r["exception"]?["class"] {
                #expect(["ValueError", "TypeError", "AttributeError", "RuntimeError", "TimeoutError", "ConnectionError"].contains(cls))
            }
        }
    }

    /// The hostile numbers in the seeds are refused, not sent: a laser at 1e308 W, an exposure of 1e9 s.
    @Test func hostileNumbersAreRefused() async throws {
        let laser = Array(try Data(contentsOf: Self.corpus.appendingPathComponent("seed-laser")))
        let replies = try #require(await PcRpcFuzzing.exercise(laser))
        #expect(try PyonValue(json: try #require(replies[3]))["exception"]?["class"] == .string("ValueError"))   // 1e308 W
        #expect(try PyonValue(json: try #require(replies[4]))["exception"]?["class"] == .string("TypeError"))    // "x"
        #expect(try PyonValue(json: try #require(replies[5]))["exception"]?["class"] == .string("ValueError"))   // NaN
        let trap = Array(try Data(contentsOf: Self.corpus.appendingPathComponent("seed-trap")))
        let trapReplies = try #require(await PcRpcFuzzing.exercise(trap))
        #expect(try PyonValue(json: try #require(trapReplies[3]))["exception"]?["class"] == .string("ValueError"))   // 1e9 s exposure
        #expect(try PyonValue(json: try #require(trapReplies[7]))["exception"]?["class"] == .string("ValueError"))   // 1e20 V RF
    }
}
