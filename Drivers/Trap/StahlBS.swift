import Foundation
import IonLink
import Logging

/// Stahl Electronics BS-series DC supply (trap electrodes) over its serial port (115200 8N1, CR,
/// ISO 8859-1). Setpoints go out normalised to the range (0 = −range, 1 = +range) and are acknowledged
/// with ACK; read-back uses a decimal comma.
///
/// On connect it sends only `IDN`; a reply that is not `<id> <range> <channels> <type>` is
/// ``TrapControllerError/wrongInstrument(device:expected:found:)``. Voltages outside ``voltageLimit`` (never wider than ±range) are
/// refused before sending.
public actor StahlBS: ElectrodeSupply, IdentifiedOnConnect, SerialLineInstrument {
    public nonisolated let name: String
    public nonisolated let channelCount: Int
    public nonisolated let voltageLimit: SetpointLimit<Voltage>
    public nonisolated let capabilities: Set<DeviceCapability> = [.dcElectrodes]
    public nonisolated let identity: DeviceIdentity
    /// Full-scale range: outputs span −range…+range.
    public nonisolated let range: Voltage
    private let deviceID: String
    private let session: LineSession
    private let logger: Logger

    /// The line framing of its protocol and its serial settings.
    public static let framing = LineFraming(commandTerminator: "\r", replyTerminator: "\r", latin1: true)
    public static let serialSettings = SerialSettings.baud115200

    /// Opens the instrument at `port` (found again by the same locator after a replug) and identifies it.
    public static func connect(name: String, port: SerialPortLocator, limit: Voltage, timeout: Duration = .milliseconds(500),
                               logger: Logger) async throws(TrapControllerError) -> StahlBS {
        try await connect(name: name, limit: limit, logger: logger,
                          session: serialSession(port, timeout: timeout, logger: logger))
    }

    /// The same over an open line session (``framing`` over any ``ByteTransport``: a serial port, an in-memory
    /// emulator, a fuzzer's script).
    public static func connect(name: String, limit: Voltage, logger: Logger, session: LineSession) async throws(TrapControllerError) -> StahlBS {
        let idn = try await session.firstLine("IDN", device: name, as: TrapControllerError.self)
        let f = idn.split(separator: " ").map(String.init)
        // The range is three digits (volts) and the channel count a positive number: a sign or a zero is another device.
        guard f.count == 4, f[0].hasPrefix("BS"), f[1].count == 3, f[1].allSatisfy({ $0.isASCII && $0.isNumber }), let rangeV = Int(f[1]), rangeV > 0,
              f[2].allSatisfy({ $0.isASCII && $0.isNumber }), let channels = Int(f[2]), channels > 0 else {
            await session.disconnect()
            throw .wrongInstrument(device: name, expected: "Stahl BS supply (IDN → BSnnn rrr cc t)", found: idn)
        }
        let range = Voltage.volts(Double(rangeV))
        let bound = min(max(limit, .zero), range)
        return StahlBS(name: name, deviceID: f[0], channels: channels, range: range, limit: SetpointLimit(.zero - bound, bound),
                       identity: DeviceIdentity(vendor: "Stahl Electronics", model: "BS \(f[1]) V \(channels) ch type \(f[3])",
                                                serialNumber: f[0], firmware: ""),
                       session: session, logger: logger)
    }

    init(name: String, deviceID: String, channels: Int, range: Voltage, limit: SetpointLimit<Voltage>, identity: DeviceIdentity,
         session: LineSession, logger: Logger) {
        self.name = name
        self.deviceID = deviceID
        channelCount = channels
        self.range = range
        voltageLimit = limit
        self.identity = identity
        self.session = session
        self.logger = logger.forDevice(name)
    }

    public func setVoltage(_ voltage: Voltage, channel: Int) async throws(TrapControllerError) {
        guard (1...channelCount).contains(channel) else { throw .noSuchElectrode(device: name, index: channel) }
        guard voltageLimit.allows(voltage) else {
            throw .voltageOutOfRange(device: name, electrode: channel, requested: voltage, allowed: voltageLimit)
        }
        let x = (voltage.volts / range.volts + 1) / 2
        let command = String(format: "%@ CH%02d %.5f", deviceID, channel, x)
        let reply = try await query(command)
        guard reply == "\u{06}" else { throw .malformedReply(device: name, command: command, reply: reply) }
    }

    public func measuredVoltage(channel: Int) async throws(TrapControllerError) -> Voltage {
        guard (1...channelCount).contains(channel) else { throw .noSuchElectrode(device: name, index: channel) }
        let command = String(format: "%@ U%02d", deviceID, channel)
        let reply = try await query(command)
        guard reply.hasSuffix(" V"),
              let v = Double(reply.dropLast(2).replacingOccurrences(of: ",", with: ".")), v.isFinite else {
            throw .malformedReply(device: name, command: command, reply: reply)
        }
        return .volts(v)
    }

    /// The supply's internal temperature in °C (`TEMP 24.5°C`).
    public func temperatureCelsius() async throws(TrapControllerError) -> Double {
        let command = "\(deviceID) TEMP"
        let reply = try await query(command)
        guard reply.hasPrefix("TEMP "), reply.hasSuffix("\u{00B0}C"),
              let t = Double(reply.dropFirst(5).dropLast(2).replacingOccurrences(of: ",", with: ".")) else {
            throw .malformedReply(device: name, command: command, reply: reply)
        }
        return t
    }

    // MARK: - Wire

    func query(_ command: String) async throws(TrapControllerError) -> String {
        logger.debug("command", metadata: ["command": "\(command)"])
        let reply = try await session.firstLine(command, device: name, as: TrapControllerError.self)
        if reply.hasPrefix("ERROR") { throw .rejected(device: name, command: command, reply: reply) }
        let printable = reply == "\u{06}" || reply.unicodeScalars.allSatisfy { ($0.value >= 0x20 && $0.value < 0x7F) || $0.value == 0xB0 }
        guard printable else {
            await session.resynchronise()
            throw .malformedReply(device: name, command: command, reply: reply)
        }
        return reply
    }

}
