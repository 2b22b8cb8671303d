import IonLink

/// A real laser driving a simulated node: every call goes to the instrument, and what the instrument
/// then does (emitting or not) is mirrored into the simulated world so the simulated ion sees it.
public struct WorldMirroringLaser: Laser {
    public let instrument: any Laser
    public let mirror: SimulatedLaser

    public init(instrument: any Laser, mirror: SimulatedLaser) {
        self.instrument = instrument
        self.mirror = mirror
    }

    public var name: String { instrument.name }
    public var capabilities: Set<DeviceCapability> { instrument.capabilities }
    public var powerLimit: SetpointLimit<Power> { instrument.powerLimit }

    public func identify() async throws -> DeviceIdentity { try await instrument.identify() }
    public func wavelength() async throws(LaserError) -> Wavelength { try await instrument.wavelength() }
    public func setPower(_ power: Power) async throws(LaserError) { try await instrument.setPower(power) }
    public func powerSetpoint() async throws(LaserError) -> Power { try await instrument.powerSetpoint() }
    public func measuredPower() async throws(LaserError) -> Power { try await instrument.measuredPower() }
    public func setEmission(_ on: Bool) async throws(LaserError) {
        try await instrument.setEmission(on)
        try await mirror.setEmission(try await instrument.status().emitting)
    }
    public func status() async throws(LaserError) -> LaserStatus { try await instrument.status() }
}
