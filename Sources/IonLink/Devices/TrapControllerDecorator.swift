/// A trap controller that serves some of its parts by instruments of its own and the rest from `base`
/// (``TrapControllerWithElectrodes``, ``TrapControllerWithRF``, ``TrapControllerWithReadout``): every
/// requirement it does not implement itself is forwarded to `base`, so each decorator states only the
/// part it adds.
public protocol TrapControllerDecorator: TrapController {
    var base: any TrapController { get }
}

extension TrapControllerDecorator {
    public var name: String { base.name }
    public var electrodeCount: Int { base.electrodeCount }
    public var electrodeLimit: SetpointLimit<Voltage> { base.electrodeLimit }
    public var rfAmplitudeLimit: SetpointLimit<Voltage> { base.rfAmplitudeLimit }

    public func setElectrode(_ index: Int, to voltage: Voltage) async throws(TrapControllerError) {
        try await base.setElectrode(index, to: voltage)
    }
    public func electrodeVoltage(_ index: Int) async throws(TrapControllerError) -> Voltage { try await base.electrodeVoltage(index) }
    public func setRF(_ drive: RFDrive) async throws(TrapControllerError) { try await base.setRF(drive) }
    public func rf() async throws(TrapControllerError) -> RFDrive { try await base.rf() }
    public func fluorescenceCounts(exposure: Duration) async throws(TrapControllerError) -> Int {
        try await base.fluorescenceCounts(exposure: exposure)
    }
    public func load(timeout: Duration) async throws(TrapControllerError) -> Duration { try await base.load(timeout: timeout) }
    public func measureQubit(in basis: PauliBasis) async throws(TrapControllerError) -> Int { try await base.measureQubit(in: basis) }

    /// The instrument's identity (`instrument`, the part it serves named `part`), with the base trap's model appended.
    public func identity(of instrument: any Device, part: String) async throws -> DeviceIdentity {
        let s = try await instrument.identify(), b = try await base.identify()
        return DeviceIdentity(vendor: s.vendor, model: "\(s.model) (\(part)) + \(b.model)", serialNumber: s.serialNumber, firmware: s.firmware)
    }
}
