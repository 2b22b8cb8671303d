/// A trap controller whose DC electrodes come from a separate supply (electrode i is the supply's
/// channel `firstChannel + i`) and everything else from `base`.
public struct TrapControllerWithElectrodes: TrapControllerDecorator {
    public let base: any TrapController
    public let supply: any ElectrodeSupply
    public let firstChannel: Int

    public init(base: any TrapController, supply: any ElectrodeSupply, firstChannel: Int = 1) {
        self.base = base
        self.supply = supply
        self.firstChannel = firstChannel
    }

    public var capabilities: Set<DeviceCapability> { base.capabilities.union(supply.capabilities) }
    public var electrodeCount: Int { max(0, supply.channelCount - firstChannel + 1) }
    public var electrodeLimit: SetpointLimit<Voltage> { supply.voltageLimit }

    /// The supply's identity (the instrument), with the base trap's model appended.
    public func identify() async throws -> DeviceIdentity { try await identity(of: supply, part: "DC") }
    public func setElectrode(_ index: Int, to voltage: Voltage) async throws(TrapControllerError) {
        guard (0..<electrodeCount).contains(index) else { throw .noSuchElectrode(device: name, index: index) }
        try await supply.setVoltage(voltage, channel: firstChannel + index)
    }
    public func electrodeVoltage(_ index: Int) async throws(TrapControllerError) -> Voltage {
        guard (0..<electrodeCount).contains(index) else { throw .noSuchElectrode(device: name, index: index) }
        return try await supply.measuredVoltage(channel: firstChannel + index)
    }
}
