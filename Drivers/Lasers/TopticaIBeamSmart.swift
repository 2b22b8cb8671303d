import Foundation
import IonLink
import Logging

/// Toptica iBeam smart diode laser over its serial port (115200 8N1, CR LF). Replies are framed
/// `CR LF <body> CR LF [OK] CR LF`; errors are `%SYS-…` body lines. The output power is channel 2's
/// setpoint (`ch 2 pow <µW> mic`), read back from the monitor photodiode (`sh pow`, `PIC = x uW`).
///
/// On connect it sends only `ver` (tolerating the echo and prompt a freshly powered laser prints);
/// a reply without `iBEAM` is ``LaserError/wrongInstrument(device:expected:found:)``. Then it turns
/// echo and prompt off (`echo off`, `prom off`, `talk usual`), as Toptica's clients do.
public actor TopticaIBeamSmart: ConfiguredWavelengthLaser {
    public nonisolated let name: String
    public nonisolated let powerLimit: SetpointLimit<Power>
    public nonisolated let capabilities: Set<DeviceCapability> = [.powerReadback, .emissionControl]
    public nonisolated let identity: DeviceIdentity
    private let nominalWavelength: Wavelength
    private let session: LineSession
    private let logger: Logger
    private var setpoint: Power = .zero

    /// The line framing of its protocol and its serial settings.
    public static let framing = LineFraming(commandTerminator: "\r\n", replyTerminator: "\r\n")
    public static let serialSettings = SerialSettings.baud115200

    /// Identifies the laser over an open line session (``framing`` over any ``ByteTransport``): `ver` first
    /// (an instrument that is not an iBeam is sent nothing more), then echo and prompt off and its serial number.
    public static func connect(name: String, wavelength: Wavelength, maxPower: Power, logger: Logger,
                               session: LineSession) async throws(LaserError) -> TopticaIBeamSmart {
        let version: [String]
        do {
            // Stop at the frame's end, or at the first line that cannot be an iBeam's (another instrument).
            version = try await session.transaction("ver") { line in
                line.hasSuffix("[OK]") || !(line.isEmpty || line.hasSuffix("ver") || line.contains("iBEAM"))
            }
        } catch {
            throw LaserError(error, device: name, command: "ver")
        }
        guard let line = version.first(where: { $0.contains("iBEAM") }) else {
            await session.disconnect()
            throw .wrongInstrument(device: name, expected: "Toptica iBeam smart", found: version.joined(separator: " "))
        }
        _ = await session.drain(for: .milliseconds(30))  // a trailing "CMD> " prompt
        let laser = TopticaIBeamSmart(name: name, identity: DeviceIdentity(vendor: "Toptica", model: line.trimmingCharacters(in: .whitespaces),
                                                                           serialNumber: "", firmware: ""),
                                      wavelength: wavelength, limit: SetpointLimit(.zero, maxPower), session: session, logger: logger)
        for setup in ["echo off", "prom off", "talk usual"] { _ = try await laser.body(setup) }
        let serialLine = try await laser.body("serial").first ?? ""
        let serial = serialLine.replacingOccurrences(of: "SN:", with: "").trimmingCharacters(in: .whitespaces)
        let model = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
        return TopticaIBeamSmart(name: name, identity: DeviceIdentity(vendor: "Toptica", model: model.first.map(String.init) ?? line,
                                                                     serialNumber: serial, firmware: model.dropFirst().joined(separator: " ")),
                                 wavelength: wavelength, limit: SetpointLimit(.zero, maxPower), session: session, logger: logger)
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
        _ = try await body(String(format: "ch 2 pow %.1f mic", power.watts * 1e6))
        setpoint = power
    }

    /// Channel 2's setpoint as the laser reports it (`show level power`, `CH2, PWR: x mW`).
    public func powerSetpoint() async throws(LaserError) -> Power {
        let cmd = "show level power"
        guard let line = try await body(cmd).first(where: { $0.hasPrefix("CH2") }),
              let value = line.split(separator: ":").last?.split(separator: " ").first,
              let mw = Double(value) else {
            throw .malformedReply(device: name, command: cmd, reply: "no CH2 line")
        }
        return .milliwatts(mw)
    }

    public func measuredPower() async throws(LaserError) -> Power {
        let cmd = "sh pow"
        let line = try await body(cmd).first ?? ""
        let parts = line.replacingOccurrences(of: "=", with: " ").split(separator: " ")
        guard parts.count >= 3, parts[0] == "PIC", parts[2] == "uW", let uw = Double(parts[1]) else {
            throw .malformedReply(device: name, command: cmd, reply: line)
        }
        return .microwatts(uw)
    }

    public func setEmission(_ on: Bool) async throws(LaserError) {
        if on { _ = try await body("en 2") }
        _ = try await body(on ? "la on" : "la off")
    }

    /// The laser reports no interlock over this interface; `interlockClosed` is true when it emits as told.
    public func status() async throws(LaserError) -> LaserStatus {
        let state = try await body("sta la").first ?? ""
        guard state == "ON" || state == "OFF" else { throw .malformedReply(device: name, command: "sta la", reply: state) }
        return LaserStatus(interlockClosed: true, faultCode: 0, emitting: state == "ON")
    }

    // MARK: - Wire

    /// The body lines of the reply (without the leading empty line and the `[OK]`).
    func body(_ command: String) async throws(LaserError) -> [String] {
        logger.debug("command", metadata: ["command": "\(command)"])
        let lines: [String]
        do {
            lines = try await session.transaction(command) { $0.hasSuffix("[OK]") || !$0.isPrintableASCII }
        } catch {
            throw LaserError(error, device: name, command: command)
        }
        if let bad = lines.first(where: { !$0.isPrintableASCII }) {
            await session.resynchronise()
            throw .malformedReply(device: name, command: command, reply: bad)
        }
        // Drop an echoed command (before the first empty line), the framing and any prompt text.
        let content = lines.dropLast().filter { !$0.isEmpty && $0 != command && !$0.hasPrefix("CMD>") }
        if let error = content.first(where: { $0.hasPrefix("%SYS-") }) {
            throw .rejected(device: name, command: command, reply: error)
        }
        return Array(content)
    }
}
