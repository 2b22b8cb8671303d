import Foundation
import Logging
import Synchronization
import Testing
import IonLink
import IonLinkDrivers
import IonLinkAssembly
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

    /// A message link to a USBTMC instrument's SCPI handler that keeps each query's reply.
    final class MessageRecording: MessageTransport, @unchecked Sendable {
        // @unchecked: the handler is only touched under `lock`.
        let name = "recording-usbtmc"
        let handler: any SCPIMessageHandler
        let lock = Mutex<[String]>([])
        init(_ handler: any SCPIMessageHandler) { self.handler = handler }
        func write(_ message: String) async throws(TransportError) { lock.withLock { _ in _ = handler.handle(message) } }
        func query(_ message: String) async throws(TransportError) -> String {
            let reply = lock.withLock { r -> String in
                let reply = handler.handle(message) ?? ""
                r.append(reply)
                return reply
            }
            return reply.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var script: [UInt8] { lock.withLock { Array($0.map { Array($0.utf8) }.joined(separator: [0x1E])) } }
    }

    /// Each catalog model, opened over a recording of its emulator, reaches every call; the recorded
    /// conversation is a seed that replays to the same calls, and the committed seed is it.
    @Test(arguments: DriverReplyFuzzing.models.indices) func emulatorConversationIsASeedThatReachesEveryCall(_ index: Int) async throws {
        let model = DriverReplyFuzzing.models[index]
        let script: @Sendable () -> [UInt8]
        let link: InstrumentLink
        switch try #require(model.emulator) {
        case let .serial(_, make):
            let recording = Recording(make())
            (script, link) = ({ recording.script }, .bytes(recording, replyTimeout: .milliseconds(50)))
        case let .usbtmc(_, _, _, make):
            let recording = MessageRecording(make())
            (script, link) = ({ recording.script }, .messages(recording))
        }
        let expected = DriverReplyFuzzing.calls(model)
        #expect(await DriverReplyFuzzing.exercise(model, over: link) == expected, "\(model.name) against its emulator")
        let seed = [UInt8(index)] + script()
        #expect(await DriverReplyFuzzing.exercise(seed) == expected, "replayed as a script")
        let file = Self.corpus.appendingPathComponent("seed-\(model.name)")
        if ProcessInfo.processInfo.environment["IONLINK_WRITE_FUZZ_SEEDS"] != nil {
            try FileManager.default.createDirectory(at: Self.corpus, withIntermediateDirectories: true)
            try Data(seed).write(to: file)
        }
        let committed = Array(try Data(contentsOf: file))
        #expect(await DriverReplyFuzzing.exercise(committed) == expected, "committed seed still reaches every call")
    }

    @Test func everyCorpusInputIsATypedOutcome() async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        #expect(names.count >= DriverReplyFuzzing.models.count)
        for name in names {
            let input = Array(try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
            _ = await DriverReplyFuzzing.exercise(input)   // a crash fails the whole run
            // Cut short anywhere, each conversation still ends in typed errors.
            for cut in stride(from: 1, to: input.count, by: max(1, input.count / 16)) {
                _ = await DriverReplyFuzzing.exercise(Array(input.prefix(cut)))
            }
        }
    }

    /// The first find: a Stahl identity with a negative range ("BS123 -05 16 b") made the limit's bounds
    /// cross and trapped; now it is not a Stahl supply.
    @Test func stahlWithANegativeRangeIsAnotherInstrument() async throws {
        let input = Array(try Data(contentsOf: Self.corpus.appendingPathComponent("regression-stahl-negative-range")))
        #expect(DriverReplyFuzzing.models[Int(input[0])].name == "stahl")
        #expect(await DriverReplyFuzzing.exercise(input).isEmpty)
        let logger = Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }
        for idn in ["BS123 -05 16 b", "BS123 000 16 b", "BS123 005 +16 b", "BS123 005 00 b"] {
            let transport = ScriptedTransport(replies: [Array((idn + "\r").utf8)])
            let session = LineSession(port: "s", framing: StahlBS.framing, timeout: .milliseconds(50), logger: logger) {
                () throws(TransportError) -> any ByteTransport in transport
            }
            let wrong = TrapControllerError.wrongInstrument(device: "dc", expected: "Stahl BS supply (IDN → BSnnn rrr cc t)", found: idn)
            await #expect(throws: wrong) {
                _ = try await StahlBS.connect(name: "dc", limit: .volts(4), logger: logger, session: session)
            }
        }
    }

    /// The second find: a Cobolt reporting a negative maximum power (`gmlp?` → `-01`) crossed the limit's
    /// bounds; an instrument's own maximum below zero (Cobolt, OBIS, ITC4001) is now a malformed reply.
    @Test func negativeInstrumentMaximaAreMalformedReplies() async throws {
        let input = Array(try Data(contentsOf: Self.corpus.appendingPathComponent("regression-cobolt-negative-max-power")))
        #expect(DriverReplyFuzzing.models[Int(input[0])].name == "cobolt")
        #expect(await DriverReplyFuzzing.exercise(input).isEmpty)
        let logger = Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }
        let cobolt = ScriptedTransport(replies: ["21838\r\n", "9.001\r\n", "06-DPL\r\n", "-01\r\n"].map { Array($0.utf8) })
        let session = LineSession(port: "s", framing: Cobolt0601.framing, timeout: .milliseconds(50), logger: logger) {
            () throws(TransportError) -> any ByteTransport in cobolt
        }
        await #expect(throws: LaserError.malformedReply(device: "c", command: "gmlp?", reply: "-01")) {
            _ = try await Cobolt0601.connect(name: "c", wavelength: .nanometers(493), maxPower: .milliwatts(10), logger: logger, session: session)
        }
        let itc = ScriptedMessages(replies: ["Thorlabs,ITC4001,M1,1.0", "-0.5"])
        await #expect(throws: LaserError.malformedReply(device: "i", command: "SOUR:CURR? MAX", reply: "-0.5")) {
            _ = try await ThorlabsITC4001.connect(name: "i", wavelength: .nanometers(780), maxPower: .milliwatts(5), maxCurrent: .amperes(1),
                                                  scpi: SCPIInstrument(name: "i", device: itc, logger: logger))
        }
    }
}
