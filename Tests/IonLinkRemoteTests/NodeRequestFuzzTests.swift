import Foundation
import GRPCCore
import SwiftProtobuf
import Testing
import IonLink
import IonLinkFuzzing
@testable import IonLinkRemote

/// The gRPC request fuzzer's harness (`NodeRequestFuzzing`, run by `Fuzz/`'s `FuzzNodeRequests`): its
/// seeds are well-formed requests to every method, which reach the services and succeed; refusals come
/// back as the statuses the API promises; every corpus input and a few hundred mutations of the seeds end
/// in a reply or a status, with the nodes still answering.
@Suite(.serialized) struct NodeRequestFuzzTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus/FuzzNodeRequests")

    typealias Devices = Ionlink_V1_Devices.Method
    typealias Runs = Ionlink_V1_Runs.Method

    /// A well-formed request per method, with the node that serves it (0 the lab, 1 the hub).
    static let seeds: [(method: MethodDescriptor, node: UInt8, request: any SwiftProtobuf.Message)] = [
        (Devices.Describe.descriptor, 0, Ionlink_V1_DescribeRequest()),
        (Devices.Identify.descriptor, 0, Ionlink_V1_DeviceRef.with { $0.role = "nodeA.cooling" }),
        (Devices.Laser.descriptor, 0, Ionlink_V1_LaserCall.with { $0.role = "nodeA.cooling"; $0.setPowerW = 1e-4 }),
        (Devices.Trap.descriptor, 0, Ionlink_V1_TrapCall.with { $0.role = "nodeB.trap"; $0.fluorescenceExposurePs = 1_000_000_000 }),
        (Devices.Detector.descriptor, 0, Ionlink_V1_DetectorCall.with { $0.role = "hub.detector1"; $0.setBiasA = 1e-6 }),
        (Devices.ProgramPulses.descriptor, 1, Ionlink_V1_PulseProgram.with {
            $0.role = "hub.pulses"
            $0.steps = [("cool", Int64(10_000_000)), ("pump", 1_000_000), ("excite", 100_000), ("detect", 50_000)].map { r, d in
                .with { $0.role = r; $0.durationPs = d }
            }
        }),
        (Devices.RunBurst.descriptor, 1, Ionlink_V1_BurstRequest.with { $0.role = "hub.loop"; $0.maxAttempts = 1000 }),
        (Devices.Clock.descriptor, 1, Ionlink_V1_ClockCall.with { $0.spendPs = 1_000_000 }),
        (Devices.StreamTags.descriptor, 1, Ionlink_V1_DeviceRef.with { $0.role = "hub.tagger" }),
        (Runs.StartRun.descriptor, 0, Ionlink_V1_RunRequest.with { $0.stop.heralds = 3 }),
        (Runs.WatchRun.descriptor, 0, Ionlink_V1_WatchRequest()),
        (Runs.StopRun.descriptor, 0, Ionlink_V1_StopRequest()),
        (Runs.Status.descriptor, 0, Ionlink_V1_StatusRequest()),
    ]

    /// An input: method, credentials (0 control, 1 observe, 2 none, 3 unknown, 4 two), node, request.
    static func input(_ method: MethodDescriptor, credentials: UInt8, node: UInt8, _ request: [UInt8]) -> [UInt8] {
        let index = NodeRequestFuzzing.methods.firstIndex { $0.descriptor == method }!
        return [UInt8(index), credentials, node] + request
    }

    static func bytes(_ m: any SwiftProtobuf.Message) -> [UInt8] { (try? m.serializedBytes()) ?? [] }

    @Test func seedsReachEveryMethodAndSucceed() async throws {
        #expect(Set(Self.seeds.map(\.method)) == Set(NodeRequestFuzzing.methods.map(\.descriptor)), "a seed for every method")
        var outcomes: [String: NodeRequestFuzzing.Outcome] = [:]
        for s in Self.seeds {
            let input = Self.input(s.method, credentials: 0, node: s.node, Self.bytes(s.request))
            // The run and the watch are read to their end (however loaded the machine), the tag stream for 300 ms.
            let streamFor: Duration = s.method == Devices.StreamTags.descriptor ? .milliseconds(300) : .seconds(60)
            outcomes[s.method.method] = await NodeRequestFuzzing.exercise(input, streamFor: streamFor)
            if ProcessInfo.processInfo.environment["IONLINK_WRITE_FUZZ_SEEDS"] == "1" {
                try FileManager.default.createDirectory(at: Self.corpus, withIntermediateDirectories: true)
                try Data(input).write(to: Self.corpus.appendingPathComponent("seed-\(s.method.method)"))
            }
        }
        // The tag stream ends when the client's deadline passes (tags flow until the client leaves): DEADLINE_EXCEEDED,
        // or CANCELLED when the in-process server sees the call cancelled before the client reports its deadline (1 run in
        // 3 on this machine). All else succeeds.
        for s in Self.seeds {
            let method = s.method.method, outcome = outcomes[method]
            let expected: [NodeRequestFuzzing.Outcome] = method == "StreamTags" ? [.status(.deadlineExceeded), .status(.cancelled)] : [.ok]
            #expect(outcome.map(expected.contains) == true, "\(method): \(String(describing: outcome))")
        }
    }

    @Test func refusalsComeBackAsTheStatusesTheAPIPromises() async throws {
        let run = Self.bytes(Ionlink_V1_RunRequest.with { $0.stop.heralds = 3 })
        // A refusal ends the stream at once; the long deadline only keeps a loaded machine from turning it into DEADLINE_EXCEEDED
        // (300 ms was missed once at the start of a fresh-clone run, with every suite starting together).
        let observerStarts = await NodeRequestFuzzing.exercise(Self.input(Runs.StartRun.descriptor, credentials: 1, node: 0, run),
                                                               streamFor: .seconds(30))
        #expect(observerStarts == .status(.permissionDenied), "an observer's StartRun: \(String(describing: observerStarts))")
        for credentials: UInt8 in [2, 3, 4] {
            #expect(await NodeRequestFuzzing.exercise(Self.input(Runs.Status.descriptor, credentials: credentials, node: 0, []))
                    == .status(.unauthenticated))
        }
        // Bytes that are no protobuf message; numbers out of range.
        #expect(await NodeRequestFuzzing.exercise(Self.input(Devices.Laser.descriptor, credentials: 0, node: 0, [0xFF, 0xFF, 0xFF]))
                != .ok)
        let spend = Self.bytes(Ionlink_V1_ClockCall.with { $0.spendPs = .max })
        #expect(await NodeRequestFuzzing.exercise(Self.input(Devices.Clock.descriptor, credentials: 0, node: 1, spend)) == .status(.invalidArgument))
        let crawl = Self.bytes(Ionlink_V1_RunRequest.with { $0.stop.heralds = 3; $0.pace = 1e-30 })  // trapped in Pacing before
        #expect(await NodeRequestFuzzing.exercise(Self.input(Runs.StartRun.descriptor, credentials: 0, node: 0, crawl), streamFor: .seconds(30))
                == .status(.invalidArgument))
        for attempts: Int64 in [-1, .max, 1 << 60] {  // 1 << 60 attempts overflowed the lab clock (a fuzzer's find)
            let burst = Self.bytes(Ionlink_V1_BurstRequest.with { $0.role = "hub.loop"; $0.maxAttempts = attempts })
            #expect(await NodeRequestFuzzing.exercise(Self.input(Devices.RunBurst.descriptor, credentials: 0, node: 1, burst))
                    == .status(.invalidArgument), "max_attempts \(attempts)")
        }
    }

    /// Every input in the corpus (the seeds, and anything the fuzzer once crashed on) ends in a status.
    @Test func corpusInputsEndInAReplyOrAStatus() async throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.corpus, includingPropertiesForKeys: nil)
        #expect(files.count >= Self.seeds.count)
        for file in files {
            #expect(await NodeRequestFuzzing.exercise(Array(try Data(contentsOf: file))) != nil, "\(file.lastPathComponent)")
        }
    }

    /// Mutations of the seeds (bytes flipped, cut, or repeated), 400 of them from a fixed seed: each ends
    /// in a reply or a status, and the nodes still describe themselves afterwards.
    @Test func mutatedSeedsEndInAReplyOrAStatus() async throws {
        var rng = SeededGenerator(seed: 16)
        for i in 0..<400 {
            let s = Self.seeds[i % Self.seeds.count]
            var input = Self.input(s.method, credentials: UInt8(rng.next() % 5), node: s.node, Self.bytes(s.request))
            for _ in 0..<(1 + Int(rng.next() % 4)) where input.count > 3 {
                let at = 3 + Int(rng.next() % UInt64(input.count - 3))
                switch rng.next() % 3 {
                case 0: input[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: input.removeSubrange(at...)
                default: input.insert(contentsOf: input[at...].prefix(8), at: at)
                }
            }
            #expect(await NodeRequestFuzzing.exercise(input) != nil)
        }
        #expect(await NodeRequestFuzzing.exercise(Self.input(Devices.Describe.descriptor, credentials: 1, node: 0, [])) == .ok)
        #expect(await NodeRequestFuzzing.exercise(Self.input(Devices.Describe.descriptor, credentials: 1, node: 1, [])) == .ok)
    }
}
