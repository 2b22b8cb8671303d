import IonLink
import Logging

/// What a laser does for its node in the simulated world.
public enum LaserRole: String, Sendable, Hashable, Codable, CaseIterable {
    case cooling, excitation
    /// A frequency converter's pump: it reaches no ion (the model holds the conversion at the configured pump).
    case converterPump = "converter_pump"
}

/// A simulated laser: setpoint limits, a first-order power servo, interlock and faults.
public actor SimulatedLaser: Laser {
    public nonisolated let name: String
    public nonisolated let powerLimit: SetpointLimit<Power>
    public nonisolated let capabilities: Set<DeviceCapability> = [.powerReadback, .emissionControl, .interlockStatus, .wavelengthReadback]
    private let world: SimulatedWorld
    private let node: Int
    private let role: LaserRole
    private let emissionWavelength: Wavelength
    private var setpoint: Power
    private var emitting = false
    private var interlockClosed = true
    private var faultCode = 0
    private let logger: Logger

    /// - Parameter emitting: whether it starts emitting (a converter's pump runs whenever the lab does).
    public init(name: String, world: SimulatedWorld, node: Int, role: LaserRole, wavelength: Wavelength,
                setpoint: Power, limit: SetpointLimit<Power>, emitting: Bool = false, logger: Logger) {
        self.emitting = emitting
        self.name = name
        self.world = world
        self.node = node
        self.role = role
        emissionWavelength = wavelength
        self.setpoint = setpoint
        powerLimit = limit
        self.logger = logger.forDevice(name)
    }

    public func identify() async throws -> DeviceIdentity {
        DeviceIdentity(vendor: "IonLink", model: "SimulatedLaser", serialNumber: name, firmware: "sim")
    }

    public func wavelength() async throws(LaserError) -> Wavelength { emissionWavelength }

    public func setPower(_ power: Power) async throws(LaserError) {
        guard powerLimit.allows(power) else {
            throw .setpointOutOfRange(device: name, requested: power, allowed: powerLimit)
        }
        logger.debug("set power", metadata: ["command": "setPower", "value": "\(power)"])
        setpoint = power
    }

    public func powerSetpoint() async throws(LaserError) -> Power { setpoint }

    /// Output power: the setpoint when emitting (the servo has settled by the time anyone reads it),
    /// zero otherwise.
    public func measuredPower() async throws(LaserError) -> Power { emitting ? setpoint : .zero }

    public func setEmission(_ on: Bool) async throws(LaserError) {
        if on && !interlockClosed { throw .interlockOpen(device: name) }
        if on && faultCode != 0 { throw .fault(device: name, code: faultCode, message: "clear the fault first") }
        logger.debug("emission", metadata: ["command": "setEmission", "value": "\(on)"])
        emitting = on
        let node = node, role = role
        world.withState { s in
            switch role {
            case .cooling: s.coolingOn[node] = on
            case .excitation: s.excitationOn[node] = on
            case .converterPump: break
            }
        }
    }

    public func status() async throws(LaserError) -> LaserStatus {
        LaserStatus(interlockClosed: interlockClosed, faultCode: faultCode, emitting: emitting)
    }

    /// Opens or closes the interlock loop (a simulated door switch); opening it stops emission.
    public func setInterlock(closed: Bool) async {
        interlockClosed = closed
        if !closed && emitting { try? await setEmission(false) }
    }
}
