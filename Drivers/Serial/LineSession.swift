import IonLink
import Logging

/// A line-oriented conversation with one instrument over a transport it can reopen.
///
/// Every read has a timeout; after any error the input is flushed and half-read lines are dropped,
/// so the next command starts clean; after a disconnect the next command reopens the port.
public actor LineSession {
    public let port: String
    private let open: @Sendable () async throws(TransportError) -> any ByteTransport
    private var transport: (any ByteTransport)?
    private var framer: LineFramer
    private let commandTerminator: [UInt8]
    public let timeout: Duration
    private let logger: Logger
    private let latin1: Bool

    /// - Parameters:
    ///   - open: opens the transport (called again to reconnect).
    ///   - commandTerminator: appended to every command.
    ///   - replyTerminator: ends every reply line.
    /// - Parameter latin1: decode replies as ISO 8859-1 instead of UTF-8 (instruments that print `°`).
    public init(port: String, commandTerminator: String, replyTerminator: String, timeout: Duration, logger: Logger,
                latin1: Bool = false, open: @escaping @Sendable () async throws(TransportError) -> any ByteTransport) {
        self.latin1 = latin1
        self.port = port
        self.open = open
        self.commandTerminator = Array(commandTerminator.utf8)
        framer = LineFramer(terminator: Array(replyTerminator.utf8))
        self.timeout = timeout
        self.logger = logger
    }

    /// A session with an instrument's framing over whatever `open` opens (called again to reconnect).
    public init(port: String, framing: LineFraming, timeout: Duration, logger: Logger,
                open: @escaping @Sendable () async throws(TransportError) -> any ByteTransport) {
        self.init(port: port, commandTerminator: framing.commandTerminator, replyTerminator: framing.replyTerminator, timeout: timeout,
                  logger: logger, latin1: framing.latin1, open: open)
    }

    /// A session with an instrument's framing over the serial port `port` finds (again after a disconnect).
    public static func serial(_ port: SerialPortLocator, settings: SerialSettings, framing: LineFraming, timeout: Duration,
                              logger: Logger) -> LineSession {
        serial(port, settings: settings, commandTerminator: framing.commandTerminator, replyTerminator: framing.replyTerminator,
               timeout: timeout, logger: logger, latin1: framing.latin1)
    }

    /// A session over the serial port `port` finds (again after a disconnect), with `settings`.
    public static func serial(_ port: SerialPortLocator, settings: SerialSettings, commandTerminator: String, replyTerminator: String,
                              timeout: Duration, logger: Logger, latin1: Bool = false) -> LineSession {
        LineSession(port: port.description, commandTerminator: commandTerminator, replyTerminator: replyTerminator, timeout: timeout,
                    logger: logger, latin1: latin1) { () throws(TransportError) -> any ByteTransport in
            try SerialPortTransport(path: port.resolve(), settings: settings)
        }
    }

    private func connected() async throws(TransportError) -> any ByteTransport {
        if let transport { return transport }
        let t = try await open()
        transport = t
        framer.reset()
        lateReplyOwed = false
        return t
    }

    /// Drops the connection; the next command reopens it.
    public func disconnect() {
        transport = nil
        lateReplyOwed = false
        framer.reset()
    }

    /// Set when an exchange timed out: its reply may still come, after the flush that followed the timeout,
    /// and must not be read as the next command's reply.
    private var lateReplyOwed = false

    /// Before the next command after a timeout: waits at most one timeout for the late reply (or its rest,
    /// when part of it came before the timeout) and discards it, ending early once a line has come and the
    /// port has then been quiet for 20 ms. Without it, a reply that is merely late — a loaded USB bus or
    /// host — would be taken for the answer to every following query, each one reply behind.
    private func discardLateReply() async {
        guard lateReplyOwed else { return }
        lateReplyOwed = false
        let lines = await drain(for: timeout, quietAfterLine: .milliseconds(20))
        if !lines.isEmpty || !framer.pending.isEmpty {
            logger.debug("late reply discarded", metadata: ["port": "\(port)", "lines": "\(lines.count)", "bytes": "\(framer.pending.count)"])
        }
        framer.reset()
    }

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    private func acquire() async {
        if busy { await withCheckedContinuation { waiting.append($0) } } else { busy = true }
    }

    private func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }

    /// Sends a command that gets no reply (instruments whose set commands are silent).
    public func send(_ command: String) async throws(TransportError) {
        await acquire()
        defer { release() }
        let t = try await connected()
        await discardLateReply()
        logger.trace("send", metadata: ["port": "\(port)", "command": "\(command)"])
        do { try await t.write(Array(command.utf8) + commandTerminator) } catch { try await recover(from: error) }
    }

    /// Sends `command` and reads reply lines until `isLast` accepts one; returns them all. One
    /// transaction runs at a time, whoever calls.
    public func transaction(_ command: String, until isLast: @Sendable (String) -> Bool) async throws(TransportError) -> [String] {
        var lines: [String] = []
        return try await exchange(command) { framer in
            while let line = framer.nextLine() {
                let text = decode(line)
                lines.append(text)
                if isLast(text) { return lines }
            }
            return nil
        }
    }

    /// Sends `command` and reads bytes until `complete` reports how many of the buffered bytes form the
    /// whole reply (for length-prefixed blocks such as IEEE 488.2 `#3nnn…`); returns those bytes.
    public func blockTransaction(_ command: String, complete: @Sendable ([UInt8]) -> Int?) async throws(TransportError) -> [UInt8] {
        try await exchange(command) { framer in complete(framer.pending).map { framer.consume($0) } }
    }

    /// Writes `command`, then feeds received bytes to the framer until `reply` extracts a whole reply
    /// or the timeout passes; after any failure the line is cleaned up (``recover(from:)``).
    private func exchange<T>(_ command: String, reply: (inout LineFramer) -> T?) async throws(TransportError) -> T {
        await acquire()
        defer { release() }
        let t = try await connected()
        await discardLateReply()
        logger.trace("send", metadata: ["port": "\(port)", "command": "\(command)"])
        do throws(TransportError) {
            try await t.write(Array(command.utf8) + commandTerminator)
            let deadline = ContinuousClock.now + timeout
            while true {
                if let done = reply(&framer) { return done }
                let left = deadline - ContinuousClock.now
                guard left > .zero else { throw TransportError.timeout(port: port, after: timeout, partial: framer.pending) }
                do throws(TransportError) {
                    framer.append(try await t.read(timeout: left))
                } catch {
                    if case .timeout = error { throw TransportError.timeout(port: port, after: timeout, partial: framer.pending) }
                    throw error
                }
            }
        } catch {
            try await recover(from: error)
        }
    }

    /// Sends `command` and collects raw bytes for at least `window`, then until the line has been quiet
    /// for `quiet` (instruments that stream binary data for an acquisition time).
    public func collect(_ command: String, window: Duration, quiet: Duration) async throws(TransportError) -> [UInt8] {
        await acquire()
        defer { release() }
        let t = try await connected()
        await discardLateReply()
        do throws(TransportError) {
            try await t.write(Array(command.utf8) + commandTerminator)
            var bytes = framer.consume(Int.max)
            let windowEnds = ContinuousClock.now + window
            while true {
                do throws(TransportError) {
                    bytes += try await t.read(timeout: quiet)
                } catch {
                    guard case .timeout = error else { throw error }
                    if ContinuousClock.now >= windowEnds { return bytes }
                }
            }
        } catch {
            try await recover(from: error)
        }
    }

    /// Collects the lines that arrive within `window` without sending anything (e.g. an `OK` that may or
    /// may not follow an identification reply); with `quietAfterLine`, ends early once a line has come and
    /// nothing more for that long.
    public func drain(for window: Duration, quietAfterLine quiet: Duration? = nil) async -> [String] {
        guard let t = transport else { return [] }
        let deadline = ContinuousClock.now + window
        var lines: [String] = []
        while true {
            while let line = framer.nextLine() { lines.append(decode(line)) }
            let left = deadline - ContinuousClock.now
            let wait = lines.isEmpty ? left : min(left, quiet ?? left)
            guard left > .zero, let bytes = try? await t.read(timeout: wait) else { return lines }
            framer.append(bytes)
        }
    }

    private func decode(_ bytes: [UInt8]) -> String {
        latin1 ? String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })) : String(decoding: bytes, as: UTF8.self)
    }

    /// Flushes what is left of a failed exchange, then rethrows.
    public func recover(from error: TransportError) async throws(TransportError) -> Never {
        logger.debug("transport error", metadata: ["port": "\(port)", "error": "\(error)"])
        framer.reset()
        if case .disconnected = error {
            transport = nil
        } else {
            if case .timeout = error { lateReplyOwed = true }
            await transport?.flushInput()
        }
        throw error
    }

    /// Discards input without an error (e.g. after a malformed reply).
    public func resynchronise() async {
        framer.reset()
        await transport?.flushInput()
    }
}
