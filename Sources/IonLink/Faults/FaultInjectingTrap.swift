/// A trap controller whose calls pass through a ``FaultInjector`` first (see ``FaultInjectingLaser``).
public struct FaultInjectingTrap: TrapController {
    public let inner: any TrapController
    public let injector: FaultInjector

    public init(_ inner: any TrapController, injector: FaultInjector) {
        self.inner = inner
        self.injector = injector
    }

    public var name: String { inner.name }
    public var capabilities: Set<DeviceCapability> { inner.capabilities }
    public var electrodeCount: Int { inner.electrodeCount }
    public var electrodeLimit: SetpointLimit<Voltage> { inner.electrodeLimit }
    public var rfAmplitudeLimit: SetpointLimit<Voltage> { inner.rfAmplitudeLimit }

    private func gate(_ command: String) async throws(TrapControllerError) { try await injector.gate(name, command, as: TrapControllerError.self) }

    public func identify() async throws -> DeviceIdentity {
        try await gate("identify")
        return try await inner.identify()
    }
    public func setElectrode(_ index: Int, to voltage: Voltage) async throws(TrapControllerError) {
        try await gate("setElectrode")
        try await inner.setElectrode(index, to: voltage)
    }
    public func electrodeVoltage(_ index: Int) async throws(TrapControllerError) -> Voltage {
        try await gate("electrodeVoltage")
        return try await inner.electrodeVoltage(index)
    }
    public func setRF(_ drive: RFDrive) async throws(TrapControllerError) {
        try await gate("setRF")
        try await inner.setRF(drive)
    }
    public func rf() async throws(TrapControllerError) -> RFDrive {
        try await gate("rf")
        return try await inner.rf()
    }
    public func fluorescenceCounts(exposure: Duration) async throws(TrapControllerError) -> Int {
        try await gate("fluorescenceCounts")
        return try await inner.fluorescenceCounts(exposure: exposure)
    }
    public func load(timeout: Duration) async throws(TrapControllerError) -> Duration {
        try await gate("load")
        return try await inner.load(timeout: timeout)
    }
    public func measureQubit(in basis: PauliBasis) async throws(TrapControllerError) -> Int {
        try await gate("measureQubit")
        return try await inner.measureQubit(in: basis)
    }
}
