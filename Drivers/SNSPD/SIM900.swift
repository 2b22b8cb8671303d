import Foundation
import IonLink
import Logging

/// SRS SIM900 mainframe over RS-232 (9600 8N1, LF). Commands reach a module with `SNDT p,"…"`; its
/// replies are collected with `NINP? p` and `GETN? p,n` (an IEEE 488.2 `#3nnn` block).
///
/// On connect it sends only `*IDN?`; anything but a SIM900 is ``PhotonDetectorError/wrongInstrument(device:expected:found:)``.
public actor SIM900: SerialLineInstrument {
    public nonisolated let name: String
    public nonisolated let identity: DeviceIdentity
    private let session: LineSession
    private let logger: Logger
    /// How long a module may take to finish a reply to a relayed query (polled with `NINP?`); separate
    /// from the line timeout, which bounds each exchange with the mainframe itself.
    private let moduleTimeout: Duration

    /// The line framing of its protocol and its serial settings.
    public static let framing = LineFraming(commandTerminator: "\n", replyTerminator: "\r\n")
    public static let serialSettings = SerialSettings.baud9600

    /// - Parameters:
    ///   - timeout: for each exchange with the mainframe (a reply line or block).
    ///   - moduleTimeout: for a module to finish its reply to a relayed query.
    public static func connect(name: String, port: SerialPortLocator, timeout: Duration = .milliseconds(800),
                               moduleTimeout: Duration = .seconds(2), logger: Logger) async throws(PhotonDetectorError) -> SIM900 {
        try await connect(name: name, moduleTimeout: moduleTimeout, logger: logger,
                          session: serialSession(port, timeout: timeout, logger: logger))
    }

    /// The same over an open line session (``framing`` over any ``ByteTransport``: a serial port, an in-memory
    /// emulator, a fuzzer's script).
    public static func connect(name: String, moduleTimeout: Duration = .seconds(2), logger: Logger,
                               session: LineSession) async throws(PhotonDetectorError) -> SIM900 {
        let idn = try await session.firstLine("*IDN?", device: name, as: PhotonDetectorError.self)
        let f = idn.split(separator: ",").map(String.init)
        guard f.count >= 2, f[1] == "SIM900" else {
            await session.disconnect()
            throw .wrongInstrument(device: name, expected: "SRS SIM900", found: idn)
        }
        return SIM900(name: name, identity: DeviceIdentity(vendor: "Stanford Research Systems", model: "SIM900",
                serialNumber: f.count > 2 ? f[2].replacingOccurrences(of: "s/n", with: "") : "", firmware: f.count > 3 ? f[3] : ""),
                      session: session, moduleTimeout: moduleTimeout, logger: logger)
    }

    init(name: String, identity: DeviceIdentity, session: LineSession, moduleTimeout: Duration, logger: Logger) {
        self.name = name
        self.identity = identity
        self.session = session
        self.moduleTimeout = moduleTimeout
        self.logger = logger.forDevice(name)
    }

    /// Sends a command to the module in `port` (no reply expected).
    public func send(port: Int, _ text: String) async throws(PhotonDetectorError) {
        let command = "SNDT \(port),\"\(text)\""
        logger.debug("command", metadata: ["command": "\(command)"])
        do { try await session.send(command) } catch { throw PhotonDetectorError(error, device: name, command: command) }
    }

    /// Sends a query to the module in `port` and returns its reply lines.
    public func query(port: Int, _ text: String) async throws(PhotonDetectorError) -> [String] {
        do { try await session.send("FLSH \(port)") } catch { throw PhotonDetectorError(error, device: name, command: "FLSH \(port)") }
        try await send(port: port, text)
        let deadline = ContinuousClock.now + moduleTimeout
        var waiting = 0, latePolls = 0
        while true {
            let count = try await session.firstLine("NINP? \(port)", device: name, as: PhotonDetectorError.self)
            guard let n = Int(count) else { throw .malformedReply(device: name, command: "NINP? \(port)", reply: count) }
            if n > 0 && n == waiting { break }  // the module has finished its reply
            // A count that grew is a reply arriving: poll on a little past the deadline (a host that was not
            // scheduled for a while must not call a reply that came in the meantime a timeout).
            let arriving = n > waiting
            waiting = n
            if ContinuousClock.now >= deadline {
                latePolls += 1
                guard arriving && latePolls <= 16 else { throw .timeout(device: name, command: "SNDT \(port),\"\(text)\"") }
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
        let command = "GETN? \(port),\(min(waiting, 999))"
        let block: [UInt8]
        do {
            block = try await session.blockTransaction(command) { bytes in
                // "#3nnn" + nnn bytes + CR LF.
                guard bytes.count >= 5, bytes[0] == UInt8(ascii: "#"), bytes[1] == UInt8(ascii: "3"),
                      let n = Int(String(decoding: bytes[2..<5], as: UTF8.self)) else { return bytes.count >= 5 ? bytes.count : nil }
                return bytes.count >= 5 + n + 2 ? 5 + n + 2 : nil
            }
        } catch {
            throw PhotonDetectorError(error, device: name, command: command)
        }
        guard block.count >= 7, block[0] == UInt8(ascii: "#"), block[1] == UInt8(ascii: "3") else {
            await session.resynchronise()
            throw .malformedReply(device: name, command: command, reply: String(decoding: block, as: UTF8.self))
        }
        let text = String(decoding: block[5..<(block.count - 2)], as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty, lines.allSatisfy(\.isPrintableASCII) else {
            await session.resynchronise()
            throw .malformedReply(device: name, command: command, reply: text)
        }
        return lines
    }

}
