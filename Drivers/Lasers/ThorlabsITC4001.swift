import Foundation
import IonLink
import Logging

/// Thorlabs ITC4001 laser-diode and TEC controller over USBTMC (0x1313:0x804A), as a ``Laser``.
///
/// Power mode (`SOUR:FUNC:MODE POW`, the controller regulates the monitor-diode power) or current
/// mode; every setting is checked against `SYST:ERR?`. Power setpoints outside ``powerLimit`` and
/// currents outside ``currentLimit`` (never above the controller's `SOUR:CURR? MAX`) are refused
/// before sending; the current limit is also set in the controller (`SOUR:CURR:LIM`), which caps the
/// drive whatever is asked. On connect it reads only `*IDN?`; anything but an ITC4001 is
/// ``LaserError/wrongInstrument(device:expected:found:)``.
public actor ThorlabsITC4001: Laser, IdentifiedOnConnect {
    public enum Mode: String, Sendable { case power = "POW", current = "CURR" }

    public nonisolated let name: String
    public nonisolated let identity: DeviceIdentity
    public nonisolated let powerLimit: SetpointLimit<Power>
    public nonisolated let currentLimit: SetpointLimit<Current>
    public nonisolated let capabilities: Set<DeviceCapability> = [.powerReadback, .emissionControl]
    public nonisolated let mode: Mode
    private let nominalWavelength: Wavelength
    private let scpi: SCPIInstrument

    public static let vendorID: UInt16 = 0x1313, productID: UInt16 = 0x804A

    public static func connect(name: String, serialNumber: String? = nil, wavelength: Wavelength, maxPower: Power,
                               maxCurrent: Current, mode: Mode = .power, timeout: Duration = .seconds(1),
                               logger: Logger) async throws(LaserError) -> ThorlabsITC4001 {
        let scpi = try SCPIInstrument.usbtmc(name: name, vendorID: vendorID, productID: productID, serialNumber: serialNumber,
                                             timeout: timeout, logger: logger, as: LaserError.self)
        return try await connect(name: name, wavelength: wavelength, maxPower: maxPower, maxCurrent: maxCurrent, mode: mode, scpi: scpi)
    }

    /// The same over an open SCPI link (USBTMC, or any ``MessageTransport``: a fuzzer's script).
    public static func connect(name: String, wavelength: Wavelength, maxPower: Power, maxCurrent: Current, mode: Mode = .power,
                               scpi: SCPIInstrument) async throws(LaserError) -> ThorlabsITC4001 {
        let id: DeviceIdentity
        do { id = try await scpi.identity() } catch { throw LaserError(error, device: name, command: "*IDN?") }
        guard id.model == "ITC4001" else {
            throw .wrongInstrument(device: name, expected: "Thorlabs ITC4001", found: "\(id.vendor),\(id.model)")
        }
        let maxText: String
        do { maxText = try await scpi.query("SOUR:CURR? MAX") } catch { throw LaserError(error, device: name, command: "SOUR:CURR? MAX") }
        let instrumentMax = Current.amperes(try LaserWire.maximum(maxText, device: name, command: "SOUR:CURR? MAX"))
        let laser = ThorlabsITC4001(name: name, identity: id, wavelength: wavelength, powerLimit: SetpointLimit(.zero, maxPower),
                                    currentLimit: SetpointLimit(.zero, min(maxCurrent, instrumentMax)), mode: mode, scpi: scpi)
        try await laser.checked(String(format: "SOUR:CURR:LIM %.6f", laser.currentLimit.upper.amperes))
        try await laser.checked("SOUR:FUNC:MODE \(mode.rawValue)")
        return laser
    }

    init(name: String, identity: DeviceIdentity, wavelength: Wavelength, powerLimit: SetpointLimit<Power>,
         currentLimit: SetpointLimit<Current>, mode: Mode, scpi: SCPIInstrument) {
        self.name = name
        self.identity = identity
        nominalWavelength = wavelength
        self.powerLimit = powerLimit
        self.currentLimit = currentLimit
        self.mode = mode
        self.scpi = scpi
    }

    public func wavelength() async throws(LaserError) -> Wavelength { nominalWavelength }

    /// In power mode the power setpoint; in current mode refused (use ``setCurrent(_:)``).
    public func setPower(_ power: Power) async throws(LaserError) {
        guard powerLimit.allows(power) else { throw .setpointOutOfRange(device: name, requested: power, allowed: powerLimit) }
        guard mode == .power else { throw .rejected(device: name, command: "SOUR:POW", reply: "controller is in current mode") }
        try await checked(String(format: "SOUR:POW %.6f", power.watts))
    }

    public func setCurrent(_ current: Current) async throws(LaserError) {
        guard currentLimit.allows(current) else {
            throw .rejected(device: name, command: "SOUR:CURR", reply: "\(current) outside \(currentLimit.lower)...\(currentLimit.upper); not sent")
        }
        try await checked(String(format: "SOUR:CURR %.6f", current.amperes))
    }

    public func measuredCurrent() async throws(LaserError) -> Current { .amperes(try await number("MEAS:CURR?")) }

    public func powerSetpoint() async throws(LaserError) -> Power { .watts(try await number("SOUR:POW?")) }

    /// The monitor photodiode's power reading.
    public func measuredPower() async throws(LaserError) -> Power { .watts(try await number("MEAS:POW2?")) }

    public func setEmission(_ on: Bool) async throws(LaserError) { try await checked("OUTP \(on ? "ON" : "OFF")") }

    /// The controller reports no interlock over this interface; `interlockClosed` is true.
    public func status() async throws(LaserError) -> LaserStatus {
        LaserStatus(interlockClosed: true, faultCode: 0, emitting: try await number("OUTP?") == 1)
    }

    /// TEC: switches the controller on and sets the diode temperature in °C.
    public func setTemperature(celsius: Double) async throws(LaserError) {
        try await checked(String(format: "SOUR2:TEMP %.3fC", celsius))
        try await checked("OUTP2 ON")
    }

    public func temperatureCelsius() async throws(LaserError) -> Double { try await number("MEAS:TEMP?") }

    // MARK: - Wire

    func checked(_ command: String) async throws(LaserError) {
        try await scpi.checked(command, device: name) { LaserError.rejected(device: name, command: command, reply: "\($0.code),\"\($0.message)\"") }
    }

    func number(_ query: String) async throws(LaserError) -> Double { try await scpi.number(query, device: name, failing: LaserError.self) }
}
