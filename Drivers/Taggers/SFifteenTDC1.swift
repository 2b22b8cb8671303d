import Foundation
import IonLink
import Logging

/// S-Fifteen Instruments TDC1 time tagger over its USB serial port, as a ``TimeTagger``.
///
/// Streaming puts it in timestamp mode and runs back-to-back acquisitions (`counts?`), each streaming
/// 32-bit little-endian words: bits 31–5 the time in 2 ns units, bit 4 a marker (skipped), bits 3–0 the
/// inputs that fired (one tag per input; several bits are a coincidence). The 27-bit time wraps every
/// ≈268 ms; the driver unwraps it across words and acquisitions, so an acquisition must stay shorter
/// than that. A word split between two reads is completed by the second. Inputs 1–4 are channels 0–3.
///
/// On connect it sends only `*IDN?`; anything but a TDC1 is ``TimeTaggerError``'s wrong-instrument case.
public actor SFifteenTDC1: TimeTagger, PhotonCounter, IdentifiedOnConnect, SerialLineInstrument {
    public nonisolated let name: String
    public nonisolated let channels: [Int32] = [0, 1, 2, 3]
    public nonisolated let syncChannel: Int32?
    public nonisolated let resolution: Duration = .nanoseconds(2)
    public nonisolated let capabilities: Set<DeviceCapability> = [.tagStreaming, .overflowReporting, .syncInput]
    public nonisolated let identity: DeviceIdentity
    public nonisolated let acquisition: Duration
    /// A singles count lasts one acquisition.
    public nonisolated var gate: Duration { acquisition }
    /// How long the line must stay quiet after an acquisition's time before its words are taken as complete.
    public nonisolated let quiet: Duration
    private let session: LineSession
    private let logger: Logger
    private var streaming: Task<Void, Never>?
    /// Counts the streams started, so that an old stream's end cannot stop a newer one.
    private var generation = 0
    private var unwrap = Unwrapper()
    /// The bytes of a word that one read ended in the middle of (the rest comes with the next read).
    private var carry: [UInt8] = []

    /// 2²⁷ ticks of 2 ns.
    static let wrapTicks: Int64 = 1 << 27

    /// The line framing of its protocol and its serial settings.
    public static let framing = LineFraming(commandTerminator: "\r\n", replyTerminator: "\r\n")
    public static let serialSettings = SerialSettings.baud115200

    /// Opens the instrument at `port` (found again by the same locator after a replug) and identifies it.
    public static func connect(name: String, port: SerialPortLocator, acquisition: Duration = .milliseconds(100),
                               syncInput: Int32? = nil, timeout: Duration = .milliseconds(500),
                               logger: Logger) async throws(TimeTaggerError) -> SFifteenTDC1 {
        try await connect(name: name, acquisition: acquisition, syncInput: syncInput, quiet: .milliseconds(30), logger: logger,
                          session: serialSession(port, timeout: timeout, logger: logger))
    }

    /// The same over an open line session (``framing`` over any ``ByteTransport``: a serial port, an in-memory
    /// emulator, a fuzzer's script).
    /// `syncInput` is the channel (input − 1) wired to the attempt sync; `quiet` how long the line must be
    /// silent after an acquisition's time (a USB-serial adapter's latency timer is up to 16 ms).
    public static func connect(name: String, acquisition: Duration = .milliseconds(100), syncInput: Int32? = nil,
                               quiet: Duration = .milliseconds(30), logger: Logger,
                               session: LineSession) async throws(TimeTaggerError) -> SFifteenTDC1 {
        precondition(acquisition <= .milliseconds(200), "an acquisition must be shorter than the 268 ms time wrap")
        let idn = try await session.firstLine("*IDN?", device: name, as: TimeTaggerError.self)
        let f = idn.split(separator: ",").map(String.init)
        guard f.count >= 2, f[1] == "TDC1" else {
            await session.disconnect()
            throw .wrongInstrument(device: name, expected: "S-Fifteen TDC1", found: idn)
        }
        return SFifteenTDC1(name: name, identity: DeviceIdentity(vendor: f[0], model: "TDC1", serialNumber: f.count > 2 ? f[2] : "",
                                                                 firmware: f.count > 3 ? f[3] : ""),
                            acquisition: acquisition, syncInput: syncInput, quiet: quiet, session: session, logger: logger)
    }

    init(name: String, identity: DeviceIdentity, acquisition: Duration, syncInput: Int32?, quiet: Duration = .milliseconds(30),
         session: LineSession, logger: Logger) {
        self.name = name
        self.identity = identity
        self.acquisition = acquisition
        self.quiet = quiet
        syncChannel = syncInput
        self.session = session
        self.logger = logger.forDevice(name)
    }

    /// Singles counts of the four inputs over one acquisition (`singles;time <ms>` then `counts?`).
    public func singles() async throws(TimeTaggerError) -> [Int] {
        try await command("singles;time \(acquisition.inPicoseconds / 1_000_000_000)")
        let cmd = "counts?"
        let reply = try await session.firstLine(cmd, device: name, as: TimeTaggerError.self)
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
        carry = []
        let (stream, continuation) = AsyncStream<TagBatch>.makeStream(bufferingPolicy: .bufferingNewest(256))
        generation += 1
        let mine = generation
        streaming = Task { await self.run(continuation) }
        // A consumer that drops this stream stops it, and only it: by then a newer stream may be running.
        continuation.onTermination = { _ in Task { await self.stopStreaming(generation: mine) } }
        return stream
    }

    public func stopStreaming() async {
        streaming?.cancel()
        streaming = nil
    }

    private func stopStreaming(generation g: Int) async {
        if g == generation { await stopStreaming() }
    }

    private func run(_ continuation: AsyncStream<TagBatch>.Continuation) async {
        defer { continuation.finish() }
        while !Task.isCancelled {
            let bytes: [UInt8]
            do {
                bytes = try await session.collect("counts?", window: acquisition, quiet: quiet)
            } catch {
                logger.error("tag stream ended", metadata: ["command": "counts?", "error": "\(error)"])
                streaming = nil
                return
            }
            continuation.yield(decode(bytes))
        }
    }

    /// Decodes one read's words into tags. A read that ends inside a word (the line went quiet for a
    /// moment mid-stream) keeps its bytes for the next read, which completes the word.
    func decode(_ read: [UInt8]) -> TagBatch {
        let bytes = carry + read
        carry = Array(bytes[(bytes.count - bytes.count % 4)...])
        var tags: [TimeTag] = []
        tags.reserveCapacity(bytes.count / 4)
        var markers = 0
        var i = 0
        while i + 4 <= bytes.count {
            let word = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            i += 4
            let ps = unwrap.picoseconds(ticks: Int64(word >> 5))
            guard word & 0x10 == 0 else {  // a marker, which begins each acquisition's words
                markers += 1
                continue
            }
            for input in 0..<4 where word & (1 << UInt32(input)) != 0 {
                tags.append(TimeTag(channel: Int32(input), picoseconds: ps))
            }
        }
        return TagBatch(tags: tags, acquisitions: markers)
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
