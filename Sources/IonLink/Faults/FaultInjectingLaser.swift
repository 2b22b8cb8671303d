/// A laser whose calls pass through a ``FaultInjector`` first: a planned timeout, garbled reply or
/// disconnection fails the call with the error the real driver would throw, before it reaches `inner`.
public struct FaultInjectingLaser: Laser {
    public let inner: any Laser
    public let injector: FaultInjector

    public init(_ inner: any Laser, injector: FaultInjector) {
        self.inner = inner
        self.injector = injector
    }

    public var name: String { inner.name }
    public var capabilities: Set<DeviceCapability> { inner.capabilities }
    public var powerLimit: SetpointLimit<Power> { inner.powerLimit }

    private func gate(_ command: String) async throws(LaserError) { try await injector.gate(name, command, as: LaserError.self) }

    public func identify() async throws -> DeviceIdentity {
        try await gate("identify")
        return try await inner.identify()
    }
    public func wavelength() async throws(LaserError) -> Wavelength {
        try await gate("wavelength")
        return try await inner.wavelength()
    }
    public func setPower(_ power: Power) async throws(LaserError) {
        try await gate("setPower")
        try await inner.setPower(power)
    }
    public func powerSetpoint() async throws(LaserError) -> Power {
        try await gate("powerSetpoint")
        return try await inner.powerSetpoint()
    }
    public func measuredPower() async throws(LaserError) -> Power {
        try await gate("measuredPower")
        return try await inner.measuredPower()
    }
    public func setEmission(_ on: Bool) async throws(LaserError) {
        try await gate("setEmission")
        try await inner.setEmission(on)
    }
    public func status() async throws(LaserError) -> LaserStatus {
        try await gate("status")
        return try await inner.status()
    }
}
