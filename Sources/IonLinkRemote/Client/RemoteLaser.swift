import IonLink

/// A laser served by another node. Limits come from the node (narrowed by the caller's own); a
/// setpoint outside them is refused here before anything is sent, and again at the node.
public struct RemoteLaser: Laser {
    let node: RemoteNode
    public let role: String
    public let name: String
    public let capabilities: Set<DeviceCapability>
    public let powerLimit: SetpointLimit<Power>

    init(node: RemoteNode, role: String, name: String, capabilities: [String], powerLimit: SetpointLimit<Power>) {
        self.node = node
        self.role = role
        self.name = name
        self.capabilities = Set(capabilities.compactMap(DeviceCapability.init(rawValue:)))
        self.powerLimit = powerLimit
    }

    public func identify() async throws -> DeviceIdentity { try await node.identify(role: role) }

    func call(_ command: String, _ set: (inout Ionlink_V1_LaserCall) -> Void) async throws(LaserError) -> Ionlink_V1_LaserReply {
        var request = Ionlink_V1_LaserCall()
        request.role = role
        set(&request)
        let r = request
        return try await node.perform(LaserError.self, device: name, command: command) { c, o in try await c.laser(r, options: o) }
    }

    public func wavelength() async throws(LaserError) -> Wavelength {
        Wavelength(si: try await call("wavelength") { $0.wavelength = .init() }.wavelengthM)
    }

    public func setPower(_ power: Power) async throws(LaserError) {
        guard powerLimit.allows(power) else { throw .setpointOutOfRange(device: name, requested: power, allowed: powerLimit) }
        _ = try await call("setPower") { $0.setPowerW = power.watts }
    }

    public func powerSetpoint() async throws(LaserError) -> Power { .watts(try await call("powerSetpoint") { $0.powerSetpoint = .init() }.powerW) }

    public func measuredPower() async throws(LaserError) -> Power { .watts(try await call("measuredPower") { $0.measuredPower = .init() }.powerW) }

    public func setEmission(_ on: Bool) async throws(LaserError) { _ = try await call("setEmission") { $0.setEmission = on } }

    public func status() async throws(LaserError) -> LaserStatus {
        let r = try await call("status") { $0.status = .init() }
        return LaserStatus(interlockClosed: r.interlockClosed, faultCode: Int(r.faultCode), emitting: r.emitting)
    }
}
