/// A photon detector whose operations go down a ``CallLine``; a bias outside ``biasLimit`` is refused here first.
public struct ForwardingDetector<Line: CallLine>: PhotonDetector where Line.Call == DetectorCall {
    public let name: String
    public let capabilities: Set<DeviceCapability>
    public let channel: Int32
    public let biasLimit: SetpointLimit<Current>
    public let line: Line

    public init(name: String, capabilities: Set<DeviceCapability>, channel: Int32, biasLimit: SetpointLimit<Current>, line: Line) {
        self.name = name
        self.capabilities = capabilities
        self.channel = channel
        self.biasLimit = biasLimit
        self.line = line
    }

    public func identify() async throws -> DeviceIdentity { try await line.identify() }

    func send(_ call: DetectorCall) async throws(PhotonDetectorError) -> DetectorCall.Outcome {
        try call.check(against: self)
        return try await line.send(call)
    }

    public func spec() async throws(PhotonDetectorError) -> DetectorSpec {
        let r = try await send(.spec)
        guard case let .spec(s) = r else { throw .unexpected(device: name, command: "spec", r) }
        return s
    }

    public func setEnabled(_ on: Bool) async throws(PhotonDetectorError) { _ = try await send(.setEnabled(on)) }

    public func setBias(_ bias: Current) async throws(PhotonDetectorError) { _ = try await send(.setBias(bias)) }

    public func bias() async throws(PhotonDetectorError) -> Current {
        let r = try await send(.bias)
        guard case let .bias(b) = r else { throw .unexpected(device: name, command: "bias", r) }
        return b
    }

    public func latchState() async throws(PhotonDetectorError) -> LatchState { try await latch(.latchState) }

    public func recoverFromLatch() async throws(PhotonDetectorError) -> LatchState { try await latch(.recoverFromLatch) }

    func latch(_ call: DetectorCall) async throws(PhotonDetectorError) -> LatchState {
        let r = try await send(call)
        guard case let .latch(s) = r else { throw .unexpected(device: name, command: call.command, r) }
        return s
    }
}
