import Foundation
import Synchronization
import Testing
import IonLink
import IonLinkDrivers
import IonLinkFuzzing
@testable import IonLinkMocks

/// The driver reply fuzzer's harness (`DriverReplyFuzzing`, run by `Fuzz/`'s `FuzzDriverReplies`): its seed
/// inputs are whole conversations with each instrument's emulator, and replayed they reach every call;
/// every corpus input (seeds and crashes the fuzzer found) ends in values or typed errors.
@Suite struct DriverReplyFuzzTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus/FuzzDriverReplies")

    /// A transport to an emulator that also keeps, per write, the bytes the emulator answered: the
    /// conversation as a ``ScriptedTransport`` script.
    final class Recording: ByteTransport, @unchecked Sendable {
        // @unchecked: the emulator is only touched under `lock`.
        let port = "recording"
        let emulator: any InstrumentEmulator
        let lock = Mutex<(pending: [UInt8], replies: [[UInt8]])>(([], []))
        init(_ emulator: any InstrumentEmulator) { self.emulator = emulator }
        func write(_ bytes: [UInt8]) async throws(TransportError) {
            lock.withLock { s in
                let reply = emulator.receive(bytes).flatMap { $0 }
                s.replies.append(reply)
                s.pending += reply
            }
        }
        func read(timeout: Duration) async throws(TransportError) -> [UInt8] {
            let bytes = lock.withLock { s -> [UInt8] in defer { s.pending.removeAll() }; return s.pending }
            if bytes.isEmpty {
                await Task.yield()   // as ScriptedTransport: give way instead of waiting
                throw .timeout(port: port, after: timeout, partial: [])
            }
            return bytes
        }
        func flushInput() async { lock.withLock { $0.pending.removeAll() } }
        var script: [UInt8] { lock.withLock { Array($0.replies.joined(separator: [0x1E])) } }
    }

    static func emulators() -> [any InstrumentEmulator] {
        [CoherentOBISEmulator(), Cobolt0601Emulator(), TopticaIBeamSmartEmulator(), StahlBSEmulator(), WindfreakSynthHDEmulator(),
         SIM900Emulator.snspdBiasRack(), SFifteenTDC1Emulator()]
    }

    @Test(arguments: 0..<7) func emulatorConversationIsASeedThatReachesEveryCall(_ driver: Int) async throws {
        let recording = Recording(Self.emulators()[driver])
        let live = await DriverReplyFuzzing.exercise(driver: driver, over: recording)
        #expect(live == DriverReplyFuzzing.calls[driver], "\(DriverReplyFuzzing.drivers[driver]) against its emulator")
        let seed = [UInt8(driver)] + recording.script
        #expect(await DriverReplyFuzzing.exercise(seed) == DriverReplyFuzzing.calls[driver], "replayed as a script")
        // The committed seed is this conversation (regenerate with IONLINK_WRITE_FUZZ_SEEDS=1).
        let file = Self.corpus.appendingPathComponent("seed-\(DriverReplyFuzzing.drivers[driver])")
        if ProcessInfo.processInfo.environment["IONLINK_WRITE_FUZZ_SEEDS"] != nil {
            try FileManager.default.createDirectory(at: Self.corpus, withIntermediateDirectories: true)
            try Data(seed).write(to: file)
        }
        let committed = Array(try Data(contentsOf: file))
        #expect(await DriverReplyFuzzing.exercise(committed) == DriverReplyFuzzing.calls[driver], "committed seed still reaches every call")
    }

    @Test func everyCorpusInputIsATypedOutcome() async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        #expect(names.count >= DriverReplyFuzzing.drivers.count)
        for name in names {
            let input = Array(try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
            _ = await DriverReplyFuzzing.exercise(input)   // a crash fails the whole run
            // Cut short anywhere, each conversation still ends in typed errors.
            for cut in stride(from: 1, to: input.count, by: max(1, input.count / 16)) {
                _ = await DriverReplyFuzzing.exercise(Array(input.prefix(cut)))
            }
        }
    }
}
