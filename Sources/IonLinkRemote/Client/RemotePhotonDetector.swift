import IonLink

/// A photon detector served by another node.
public struct RemotePhotonDetector: PhotonDetector {
    let node: RemoteNode
    public let role: String
    public let name: String
    public let capabilities: Set<DeviceCapability>
    public let channel: Int32
    public let biasLimit: SetpointLimit<Current>

    init(node: RemoteNode, role: String, description d: Ionlink_V1_DeviceDescription) {
        self.node = node
        self.role = role
        name = d.name
        capabilities = Set(d.capabilities.compactMap(DeviceCapability.init(rawValue:)))
        channel = d.channel
        biasLimit = d.biasLimitA.limit()
    }

    public func identify() async throws -> DeviceIdentity { try await node.identify(role: role) }

    func call(_ command: String, _ set: (inout Ionlink_V1_DetectorCall) -> Void) async throws(PhotonDetectorError) -> Ionlink_V1_DetectorReply {
        var request = Ionlink_V1_DetectorCall()
        request.role = role
        set(&request)
        let r = request
        return try await node.perform(PhotonDetectorError.self, device: name, command: command) { c, o in try await c.detector(r, options: o) }
    }

    public func spec() async throws(PhotonDetectorError) -> DetectorSpec {
        let r = try await call("spec") { $0.spec = .init() }
        guard let s = r.spec.spec else { throw .malformedReply(device: name, command: "spec", reply: "\(r.spec)") }
        return s
    }

    public func setEnabled(_ on: Bool) async throws(PhotonDetectorError) { _ = try await call("setEnabled") { $0.setEnabled = on } }

    public func setBias(_ bias: Current) async throws(PhotonDetectorError) {
        guard biasLimit.allows(bias) else { throw .biasOutOfRange(device: name, requested: bias, allowed: biasLimit) }
        _ = try await call("setBias") { $0.setBiasA = bias.amperes }
    }

    public func bias() async throws(PhotonDetectorError) -> Current { .amperes(try await call("bias") { $0.bias = .init() }.biasA) }

    public func latchState() async throws(PhotonDetectorError) -> LatchState {
        let r = try await call("latchState") { $0.latchState = .init() }
        guard let s = r.latch.state else { throw .malformedReply(device: name, command: "latchState", reply: "\(r.latch)") }
        return s
    }

    public func recoverFromLatch() async throws(PhotonDetectorError) -> LatchState {
        let r = try await call("recoverFromLatch") { $0.recoverFromLatch = .init() }
        guard let s = r.latch.state else { throw .malformedReply(device: name, command: "recoverFromLatch", reply: "\(r.latch)") }
        return s
    }
}
