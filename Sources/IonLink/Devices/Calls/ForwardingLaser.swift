/// A laser whose operations go down a ``CallLine``; setpoints outside ``powerLimit`` are refused here first.
public struct ForwardingLaser<Line: CallLine>: Laser where Line.Call == LaserCall {
    public let name: String
    public let capabilities: Set<DeviceCapability>
    public let powerLimit: SetpointLimit<Power>
    public let line: Line

    public init(name: String, capabilities: Set<DeviceCapability>, powerLimit: SetpointLimit<Power>, line: Line) {
        self.name = name
        self.capabilities = capabilities
        self.powerLimit = powerLimit
        self.line = line
    }

    public func identify() async throws -> DeviceIdentity { try await line.identify() }

    func send(_ call: LaserCall) async throws(LaserError) -> LaserCall.Outcome {
        try call.check(against: self)
        return try await line.send(call)
    }

    public func wavelength() async throws(LaserError) -> Wavelength {
        let r = try await send(.wavelength)
        guard case let .wavelength(w) = r else { throw .unexpected(device: name, command: "wavelength", r) }
        return w
    }

    public func setPower(_ power: Power) async throws(LaserError) { _ = try await send(.setPower(power)) }

    public func powerSetpoint() async throws(LaserError) -> Power { try await power(.powerSetpoint) }

    public func measuredPower() async throws(LaserError) -> Power { try await power(.measuredPower) }

    func power(_ call: LaserCall) async throws(LaserError) -> Power {
        let r = try await send(call)
        guard case let .power(p) = r else { throw .unexpected(device: name, command: call.command, r) }
        return p
    }

    public func setEmission(_ on: Bool) async throws(LaserError) { _ = try await send(.setEmission(on)) }

    public func status() async throws(LaserError) -> LaserStatus {
        let r = try await send(.status)
        guard case let .status(s) = r else { throw .unexpected(device: name, command: "status", r) }
        return s
    }
}
