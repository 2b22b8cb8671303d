import Foundation
import IonLink
import Logging

/// Coherent OBIS LX/LS laser over its USB virtual COM port or RS-232 (115200 8N1, CR LF).
///
/// On connect it sends only `*IDN?`; anything but an OBIS answering is ``LaserError/wrongInstrument(device:expected:found:)``.
/// It then turns handshaking on, so every command is confirmed by `OK` or refused with `ERR-nnn`.
/// Power is in watts on the wire. Setpoints outside ``powerLimit`` (the configured limit, never above
/// the laser's own `SOUR:POW:LIM:HIGH?`) are refused before anything is sent.
public actor CoherentOBIS: Laser, IdentifiedOnConnect, SerialLineInstrument {
    public nonisolated let name: String
    public nonisolated let powerLimit: SetpointLimit<Power>
    public nonisolated let capabilities: Set<DeviceCapability> = [.powerReadback, .emissionControl, .interlockStatus, .wavelengthReadback]
    public nonisolated let identity: DeviceIdentity
    private let session: LineSession
    private let logger: Logger

    /// The line framing of its protocol and its serial settings.
    public static let framing = LineFraming(commandTerminator: "\r\n", replyTerminator: "\r\n")
    public static let serialSettings = SerialSettings.baud115200

    /// Opens the laser at `port`, identifies it and reads its limits.
    /// - Parameters:
    ///   - maxPower: the lab's limit; the effective limit is the smaller of this and the laser's.
    public static func connect(name: String, port: SerialPortLocator, maxPower: Power, timeout: Duration = .milliseconds(500),
                               logger: Logger) async throws(LaserError) -> CoherentOBIS {
        try await connect(name: name, maxPower: maxPower, logger: logger,
                          session: serialSession(port, timeout: timeout, logger: logger))
    }

    /// The same over an open line session (``framing`` over any ``ByteTransport``: a serial port, an in-memory
    /// emulator, a fuzzer's script).
    public static func connect(name: String, maxPower: Power, logger: Logger, session: LineSession) async throws(LaserError) -> CoherentOBIS {
        // Identification first: nothing else is sent to an instrument we have not recognised.
        let idn = try await session.firstLine("*IDN?", device: name, as: LaserError.self)
        guard idn.contains("OBIS"), idn.lowercased().hasPrefix("coherent") else {
            await session.disconnect()
            throw .wrongInstrument(device: name, expected: "Coherent OBIS", found: idn)
        }
        // With handshaking already on, an OK follows the identity line: swallow it.
        _ = await session.drain(for: .milliseconds(50))
        let fields = idn.components(separatedBy: " - ")
        let probe = CoherentOBIS(name: name, identity: DeviceIdentity(vendor: "Coherent", model: fields.count > 1 ? fields[1] : idn,
                                                                      serialNumber: "", firmware: fields.count > 2 ? fields[2] : ""),
                                 limit: SetpointLimit(.zero, maxPower), session: session, logger: logger)
        try await probe.command("SYST:COMM:HAND ON")
        let serial = try await probe.query("SYST:INF:SNUM?")
        let high = Power.watts(try LaserWire.maximum(try await probe.query("SOUR:POW:LIM:HIGH?"), device: name, command: "SOUR:POW:LIM:HIGH?"))
        let identity = DeviceIdentity(vendor: "Coherent", model: probe.identity.model, serialNumber: serial,
                                      firmware: probe.identity.firmware)
        return CoherentOBIS(name: name, identity: identity, limit: SetpointLimit(.zero, min(maxPower, high)),
                            session: session, logger: logger)
    }

    init(name: String, identity: DeviceIdentity, limit: SetpointLimit<Power>, session: LineSession, logger: Logger) {
        self.name = name
        self.identity = identity
        powerLimit = limit
        self.session = session
        self.logger = logger.forDevice(name)
    }

    public func wavelength() async throws(LaserError) -> Wavelength {
        .nanometers(try await number("SYST:INF:WAV?"))
    }

    public func setPower(_ power: Power) async throws(LaserError) {
        guard powerLimit.allows(power) else {
            throw .setpointOutOfRange(device: name, requested: power, allowed: powerLimit)
        }
        try await command(String(format: "SOUR:POW:LEV:IMM:AMPL %.6f", power.watts))
    }

    public func powerSetpoint() async throws(LaserError) -> Power {
        .watts(try await number("SOUR:POW:LEV:IMM:AMPL?"))
    }

    public func measuredPower() async throws(LaserError) -> Power {
        .watts(try await number("SOUR:POW:LEV?"))
    }

    /// Switches emission; switching on with the interlock open throws ``LaserError/interlockOpen(device:)``.
    public func setEmission(_ on: Bool) async throws(LaserError) {
        if on {
            let s = try await status()
            if !s.interlockClosed { throw .interlockOpen(device: name) }
            if s.faultCode != 0 { throw .fault(device: name, code: s.faultCode, message: "SYST:FAUL? \(String(s.faultCode, radix: 16))") }
        }
        try await command("SOUR:AM:STAT \(on ? "ON" : "OFF")")
    }

    public func status() async throws(LaserError) -> LaserStatus {
        let lock = try await query("SYST:LOCK?")
        let faultText = try await query("SYST:FAUL?")
        guard let fault = Int(faultText, radix: 16) else {
            throw .malformedReply(device: name, command: "SYST:FAUL?", reply: faultText)
        }
        let emitting = try await query("SOUR:AM:STAT?")
        guard ["ON", "OFF"].contains(lock), ["ON", "OFF"].contains(emitting) else {
            throw .malformedReply(device: name, command: "SYST:LOCK?/SOUR:AM:STAT?", reply: "\(lock) \(emitting)")
        }
        return LaserStatus(interlockClosed: lock == "ON", faultCode: fault, emitting: emitting == "ON")
    }

    // MARK: - Wire

    /// A set command: the reply must be `OK`.
    func command(_ text: String) async throws(LaserError) {
        let lines = try await exchange(text)
        guard lines == ["OK"] else { throw .malformedReply(device: name, command: text, reply: lines.joined(separator: "|")) }
    }

    /// A query: one value line, then `OK`.
    func query(_ text: String) async throws(LaserError) -> String {
        let lines = try await exchange(text)
        guard lines.count == 2, lines[1] == "OK" else {
            await session.resynchronise()
            throw .malformedReply(device: name, command: text, reply: lines.joined(separator: "|"))
        }
        return lines[0]
    }

    /// A numeric query.
    func number(_ text: String) async throws(LaserError) -> Double {
        try LaserWire.number(try await query(text), device: name, command: text)
    }

    private func exchange(_ text: String) async throws(LaserError) -> [String] {
        logger.debug("command", metadata: ["command": "\(text)"])
        let lines: [String]
        do {
            lines = try await session.transaction(text) { $0 == "OK" || $0.hasPrefix("ERR-") || !$0.isPrintableASCII }
        } catch {
            throw LaserError(error, device: name, command: text)
        }
        if let last = lines.last, last.hasPrefix("ERR-") { throw .rejected(device: name, command: text, reply: last) }
        if let bad = lines.first(where: { !$0.isPrintableASCII }) {
            await session.resynchronise()
            throw .malformedReply(device: name, command: text, reply: bad)
        }
        return lines
    }

}
