import Foundation
import IonLink
import Logging

/// Cobolt (HÜBNER Photonics) 06-01 / 08-01 series laser over its serial port (115200 8N1): one reply
/// line per command, `OK` for sets, `Syntax error…` for refusals. Power is in watts on the wire.
///
/// On connect it sends only `gsn?`; a reply that is not a serial number is
/// ``LaserError/wrongInstrument(device:expected:found:)``. Setpoints outside ``powerLimit`` (never
/// above the laser's `gmlp?`) are refused before anything is sent.
public actor Cobolt0601: ConfiguredWavelengthLaser {
    public nonisolated let name: String
    public nonisolated let powerLimit: SetpointLimit<Power>
    public nonisolated let capabilities: Set<DeviceCapability> = [.powerReadback, .emissionControl, .interlockStatus]
    public nonisolated let identity: DeviceIdentity
    /// The emission wavelength, which these lasers do not report: it comes from the lab config.
    private let nominalWavelength: Wavelength
    private let session: LineSession
    private let logger: Logger

    /// Fault codes of `f?`.
    public static let faultNames = [0: "no fault", 1: "temperature error", 3: "interlock error", 4: "constant power time out"]

    /// The line framing of its protocol and its serial settings.
    public static let framing = LineFraming(commandTerminator: "\r", replyTerminator: "\r\n")
    public static let serialSettings = SerialSettings.baud115200

    /// Identifies the laser over an open line session (``framing`` over any ``ByteTransport``): `gsn?` first
    /// (an instrument whose reply is not a serial number is sent nothing more), then its model, firmware and maximum power.
    public static func connect(name: String, wavelength: Wavelength, maxPower: Power, logger: Logger,
                               session: LineSession) async throws(LaserError) -> Cobolt0601 {
        let serial = try await session.firstLine("gsn?", device: name, as: LaserError.self)
        guard !serial.isEmpty, serial.allSatisfy(\.isNumber) else {
            await session.disconnect()
            throw .wrongInstrument(device: name, expected: "Cobolt 06-01 (numeric gsn?)", found: serial)
        }
        let probe = Cobolt0601(name: name, identity: DeviceIdentity(vendor: "Cobolt", model: "06-01", serialNumber: serial, firmware: ""),
                               wavelength: wavelength, limit: SetpointLimit(.zero, maxPower), session: session, logger: logger)
        let firmware = try await probe.query("gfv?")
        let model = try await probe.query("glm?")
        let laserMax = Power.milliwatts(try LaserWire.maximum(try await probe.query("gmlp?"), device: name, command: "gmlp?"))
        return Cobolt0601(name: name, identity: DeviceIdentity(vendor: "Cobolt", model: model, serialNumber: serial, firmware: firmware),
                          wavelength: wavelength, limit: SetpointLimit(.zero, min(maxPower, laserMax)), session: session, logger: logger)
    }

    init(name: String, identity: DeviceIdentity, wavelength: Wavelength, limit: SetpointLimit<Power>, session: LineSession, logger: Logger) {
        self.name = name
        self.identity = identity
        nominalWavelength = wavelength
        powerLimit = limit
        self.session = session
        self.logger = logger.forDevice(name)
    }

    public func wavelength() async throws(LaserError) -> Wavelength { nominalWavelength }

    public func setPower(_ power: Power) async throws(LaserError) {
        guard powerLimit.allows(power) else { throw .setpointOutOfRange(device: name, requested: power, allowed: powerLimit) }
        try await command(String(format: "p %.6f", power.watts))
    }

    public func powerSetpoint() async throws(LaserError) -> Power { .watts(try await number("p?")) }
    public func measuredPower() async throws(LaserError) -> Power { .watts(try await number("pa?")) }

    /// Emission on in constant-power mode; refused with the interlock open or a fault present.
    public func setEmission(_ on: Bool) async throws(LaserError) {
        if on {
            let s = try await status()
            if !s.interlockClosed { throw .interlockOpen(device: name) }
            if s.faultCode != 0 {
                throw .fault(device: name, code: s.faultCode, message: Self.faultNames[s.faultCode] ?? "unknown fault")
            }
            try await command("cp")
        }
        try await command(on ? "l1" : "l0")
    }

    public func status() async throws(LaserError) -> LaserStatus {
        let interlock = try await query("ilk?")
        let fault = Int(try await number("f?"))
        let emitting = try await query("l?")
        guard ["0", "1"].contains(interlock), ["0", "1"].contains(emitting) else {
            throw .malformedReply(device: name, command: "ilk?/l?", reply: "\(interlock) \(emitting)")
        }
        return LaserStatus(interlockClosed: interlock == "0", faultCode: fault, emitting: emitting == "1")
    }

    /// Clears a latched fault (`cf`).
    public func clearFault() async throws(LaserError) { try await command("cf") }

    // MARK: - Wire

    func command(_ text: String) async throws(LaserError) {
        let reply = try await query(text)
        guard reply == "OK" else { throw .malformedReply(device: name, command: text, reply: reply) }
    }

    func number(_ text: String) async throws(LaserError) -> Double {
        try LaserWire.number(try await query(text), device: name, command: text)
    }

    func query(_ text: String) async throws(LaserError) -> String {
        logger.debug("command", metadata: ["command": "\(text)"])
        let reply = try await session.firstLine(text, device: name, as: LaserError.self)
        if reply.hasPrefix("Syntax error") { throw .rejected(device: name, command: text, reply: reply) }
        guard reply.isPrintableASCII else {
            await session.resynchronise()
            throw .malformedReply(device: name, command: text, reply: reply)
        }
        return reply
    }
}
