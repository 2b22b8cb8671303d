import IonLink

/// A trap controller served by another node; its limits are the node's, checked here and at the node.
public struct RemoteTrapController: TrapController {
    let node: RemoteNode
    public let role: String
    public let name: String
    public let capabilities: Set<DeviceCapability>
    public let electrodeCount: Int
    public let electrodeLimit: SetpointLimit<Voltage>
    public let rfAmplitudeLimit: SetpointLimit<Voltage>

    init(node: RemoteNode, role: String, description d: Ionlink_V1_DeviceDescription) {
        self.node = node
        self.role = role
        name = d.name
        capabilities = Set(d.capabilities.compactMap(DeviceCapability.init(rawValue:)))
        electrodeCount = Int(d.electrodeCount)
        electrodeLimit = d.electrodeLimitV.limit()
        rfAmplitudeLimit = d.rfAmplitudeLimitV.limit()
    }

    public func identify() async throws -> DeviceIdentity { try await node.identify(role: role) }

    func call(_ command: String, lasting: Duration = .zero, _ set: (inout Ionlink_V1_TrapCall) -> Void) async throws(TrapControllerError)
        -> Ionlink_V1_TrapReply
    {
        var request = Ionlink_V1_TrapCall()
        request.role = role
        set(&request)
        let r = request
        return try await node.perform(TrapControllerError.self, device: name, command: command, extra: lasting) { c, o in
            try await c.trap(r, options: o)
        }
    }

    public func setElectrode(_ index: Int, to voltage: Voltage) async throws(TrapControllerError) {
        guard (0..<electrodeCount).contains(index) else { throw .noSuchElectrode(device: name, index: index) }
        guard electrodeLimit.allows(voltage) else {
            throw .voltageOutOfRange(device: name, electrode: index, requested: voltage, allowed: electrodeLimit)
        }
        _ = try await call("setElectrode") { $0.setElectrode = .with { $0.index = Int32(index); $0.volts = voltage.volts } }
    }

    public func electrodeVoltage(_ index: Int) async throws(TrapControllerError) -> Voltage {
        guard (0..<electrodeCount).contains(index) else { throw .noSuchElectrode(device: name, index: index) }
        return .volts(try await call("electrodeVoltage") { $0.electrodeVoltage = Int32(index) }.volts)
    }

    public func setRF(_ drive: RFDrive) async throws(TrapControllerError) {
        guard rfAmplitudeLimit.allows(drive.amplitude), drive.frequency.isFinite, drive.frequency > .zero else {
            throw .rfOutOfRange(device: name, what: "amplitude \(drive.amplitude) outside \(rfAmplitudeLimit.lower)...\(rfAmplitudeLimit.upper)")
        }
        _ = try await call("setRF") { $0.setRf = .init(drive) }
    }

    public func rf() async throws(TrapControllerError) -> RFDrive { try await call("rf") { $0.rf = .init() }.rf.drive }

    public func fluorescenceCounts(exposure: Duration) async throws(TrapControllerError) -> Int {
        Int(clamping: try await call("fluorescenceCounts", lasting: exposure) { $0.fluorescenceExposurePs = exposure.inPicoseconds }.counts)
    }

    public func load(timeout: Duration) async throws(TrapControllerError) -> Duration {
        .picoseconds(try await call("load", lasting: timeout) { $0.loadTimeoutPs = timeout.inPicoseconds }.loadTimePs)
    }

    public func measureQubit(in basis: PauliBasis) async throws(TrapControllerError) -> Int {
        let e = Int(try await call("measureQubit") { $0.measureQubit = basis.wire }.eigenvalue)
        guard e == 1 || e == -1 else { throw .malformedReply(device: name, command: "measureQubit", reply: "eigenvalue \(e)") }
        return e
    }
}
