/// A trap controller whose operations go down a ``CallLine``; an unknown electrode or a setpoint outside
/// the limits is refused here first, and a qubit readout other than ±1 is a malformed reply.
public struct ForwardingTrap<Line: CallLine>: TrapController where Line.Call == TrapCall {
    public let name: String
    public let capabilities: Set<DeviceCapability>
    public let electrodeCount: Int
    public let electrodeLimit: SetpointLimit<Voltage>
    public let rfAmplitudeLimit: SetpointLimit<Voltage>
    public let line: Line

    public init(name: String, capabilities: Set<DeviceCapability>, electrodeCount: Int, electrodeLimit: SetpointLimit<Voltage>,
                rfAmplitudeLimit: SetpointLimit<Voltage>, line: Line) {
        self.name = name
        self.capabilities = capabilities
        self.electrodeCount = electrodeCount
        self.electrodeLimit = electrodeLimit
        self.rfAmplitudeLimit = rfAmplitudeLimit
        self.line = line
    }

    public func identify() async throws -> DeviceIdentity { try await line.identify() }

    func send(_ call: TrapCall) async throws(TrapControllerError) -> TrapCall.Outcome {
        try call.check(against: self)
        return try await line.send(call)
    }

    public func setElectrode(_ index: Int, to voltage: Voltage) async throws(TrapControllerError) {
        _ = try await send(.setElectrode(index, voltage))
    }

    public func electrodeVoltage(_ index: Int) async throws(TrapControllerError) -> Voltage {
        let r = try await send(.electrodeVoltage(index))
        guard case let .voltage(v) = r else { throw .unexpected(device: name, command: "electrodeVoltage", r) }
        return v
    }

    public func setRF(_ drive: RFDrive) async throws(TrapControllerError) { _ = try await send(.setRF(drive)) }

    public func rf() async throws(TrapControllerError) -> RFDrive {
        let r = try await send(.rf)
        guard case let .rf(d) = r else { throw .unexpected(device: name, command: "rf", r) }
        return d
    }

    public func fluorescenceCounts(exposure: Duration) async throws(TrapControllerError) -> Int {
        let r = try await send(.fluorescenceCounts(exposure: exposure))
        guard case let .counts(n) = r, n >= 0 else { throw .unexpected(device: name, command: "fluorescenceCounts", r) }
        return n
    }

    public func load(timeout: Duration) async throws(TrapControllerError) -> Duration {
        let r = try await send(.load(timeout: timeout))
        guard case let .loadTime(t) = r else { throw .unexpected(device: name, command: "load", r) }
        return t
    }

    public func measureQubit(in basis: PauliBasis) async throws(TrapControllerError) -> Int {
        let r = try await send(.measureQubit(basis))
        guard case let .eigenvalue(e) = r, e == 1 || e == -1 else { throw .unexpected(device: name, command: "measureQubit", r) }
        return e
    }
}
