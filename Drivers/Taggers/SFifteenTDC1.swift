import Foundation
import IonLink
import Logging

/// S-Fifteen Instruments TDC1 time tagger over its USB serial port, as a ``TimeTagger``.
///
/// Streaming puts it in timestamp mode and runs back-to-back acquisitions (`counts?`), each streaming
/// 32-bit little-endian words: bits 31–5 the time in 2 ns units, bit 4 a marker (skipped), bits 3–0 the
/// inputs that fired (one tag per input; several bits are a coincidence). The 27-bit time wraps every
/// ≈268 ms; the driver unwraps it across words and acquisitions, so an acquisition must stay shorter
/// than that. Inputs 1–4 are channels 0–3.
///
/// On connect it sends only `*IDN?`; anything but a TDC1 is ``TimeTaggerError``'s wrong-instrument case.
public actor SFifteenTDC1: TimeTagger {
    public nonisolated let name: String
    public nonisolated let channels: [Int32] = [0, 1, 2, 3]
    public nonisolated let syncChannel: Int32?
    public nonisolated let resolution: Duration = .nanoseconds(2)
    public nonisolated let capabilities: Set<DeviceCapability> = [.tagStreaming, .overflowReporting, .syncInput]
    public nonisolated let identity: DeviceIdentity
    public nonisolated let acquisition: Duration
    private let session: LineSession
    private let logger: Logger
    private var streaming: Task<Void, Never>?
    private var unwrap = Unwrapper()

    /// 2²⁷ ticks of 2 ns.
    static let wrapTicks: Int64 = 1 << 27

    /// The line framing of its protocol and its serial settings.
    public static let framing = LineFraming(commandTerminator: "\r\n", replyTerminator: "\r\n")
    public static let serialSettings = SerialSettings.baud115200

    /// Opens the instrument at `port` (found again by the same locator after a replug) and identifies it.
    public static func connect(name: String, port: SerialPortLocator, acquisition: Duration = .milliseconds(100),
                               syncInput: Int32? = nil, timeout: Duration = .milliseconds(500),
                               logger: Logger) async throws(TimeTaggerError) -> SFifteenTDC1 {
        try await connect(name: name, acquisition: acquisition, syncInput: syncInput, logger: logger,
                          session: LineSession.serial(port, settings: serialSettings, framing: framing, timeout: timeout, logger: logger))
    }

    /// The same over an open line session (``framing`` over any ``ByteTransport``: a serial port, an in-memory
    /// emulator, a fuzzer's script).
    public static func connect(name: String, acquisition: Duration = .milliseconds(100), syncInput: Int32? = nil, logger: Logger,
                               session: LineSession) async throws(TimeTaggerError) -> SFifteenTDC1 {
        precondition(acquisition <= .milliseconds(200), "an acquisition must be shorter than the 268 ms time wrap")
        let idn: String
        do { idn = try await session.transaction("*IDN?") { _ in true }[0] } catch { throw TimeTaggerError(error, device: name, command: "*IDN?") }
        let f = idn.split(separator: ",").map(String.init)
        guard f.count >= 2, f[1] == "TDC1" else {
            await session.disconnect()
            throw .wrongInstrument(device: name, expected: "S-Fifteen TDC1", found: idn)
        }
        return SFifteenTDC1(name: name, identity: DeviceIdentity(vendor: f[0], model: "TDC1", serialNumber: f.count > 2 ? f[2] : "",
                                                                 firmware: f.count > 3 ? f[3] : ""),
                            acquisition: acquisition, syncInput: syncInput, session: session, logger: logger)
    }

    init(name: String, identity: DeviceIdentity, acquisition: Duration, syncInput: Int32?, session: LineSession, logger: Logger) {
        self.name = name
        self.identity = identity
        self.acquisition = acquisition
        syncChannel = syncInput
        self.session = session
        self.logger = logger.forDevice(name)
    }

    public func identify() async throws -> DeviceIdentity { identity }

    /// Singles counts of the four inputs over one acquisition.
    public func singles() async throws(TimeTaggerError) -> [Int] {
        try await command("singles;time \(acquisition.inPicoseconds / 1_000_000_000)")
        let cmd = "counts?"
        let reply: String
        do {
            reply = try await session.transaction(cmd) { _ in true }[0]
        } catch { throw TimeTaggerError(error, device: name, command: cmd) }
        let counts = reply.split(separator: " ").compactMap { Int($0) }
        guard counts.count >= 4, counts.count == reply.split(separator: " ").count else {
            await session.resynchronise()
            throw .malformedReply(device: name, command: cmd, reply: reply)
        }
        return Array(counts.prefix(4))
    }

    public func startStreaming() async throws(TimeTaggerError) -> AsyncStream<TagBatch> {
        guard streaming == nil else { throw .alreadyStreaming(device: name) }
        try await command("timestamp;time \(acquisition.inPicoseconds / 1_000_000_000)")
        unwrap = Unwrapper()
        let (stream, continuation) = AsyncStream<TagBatch>.makeStream(bufferingPolicy: .bufferingNewest(256))
        streaming = Task { await self.run(continuation) }
        continuation.onTermination = { _ in Task { await self.stopStreaming() } }
        return stream
    }

    public func stopStreaming() async {
        streaming?.cancel()
        streaming = nil
    }

    private func run(_ continuation: AsyncStream<TagBatch>.Continuation) async {
        defer { continuation.finish() }
        while !Task.isCancelled {
            let bytes: [UInt8]
            do {
                bytes = try await session.collect("counts?", window: acquisition, quiet: .milliseconds(30))
            } catch {
                logger.error("tag stream ended", metadata: ["command": "counts?", "error": "\(error)"])
                streaming = nil
                return
            }
            continuation.yield(decode(bytes))
        }
    }

    /// Decodes one acquisition's words into tags; a trailing partial word is reported as lost.
    func decode(_ bytes: [UInt8]) -> TagBatch {
        var tags: [TimeTag] = []
        tags.reserveCapacity(bytes.count / 4)
        var i = 0
        while i + 4 <= bytes.count {
            let word = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            i += 4
            let ps = unwrap.picoseconds(ticks: Int64(word >> 5))
            guard word & 0x10 == 0 else { continue }  // marker
            for input in 0..<4 where word & (1 << UInt32(input)) != 0 {
                tags.append(TimeTag(channel: Int32(input), picoseconds: ps))
            }
        }
        return TagBatch(tags: tags, overflowLost: bytes.count % 4 == 0 ? 0 : 1)
    }

    /// Unwraps the 27-bit, 2 ns time into picoseconds since the stream began.
    struct Unwrapper {
        var last: Int64 = -1
        var wraps: Int64 = 0
        mutating func picoseconds(ticks: Int64) -> Int64 {
            if last >= 0 && ticks < last { wraps += 1 }
            last = ticks
            return (wraps * SFifteenTDC1.wrapTicks + ticks) * 2_000
        }
    }

    // MARK: - Wire

    private func command(_ text: String) async throws(TimeTaggerError) {
        logger.debug("command", metadata: ["command": "\(text)"])
        do { try await session.send(text) } catch { throw TimeTaggerError(error, device: name, command: text) }
    }

}
