/// A photon detector whose calls pass through a ``FaultInjector`` first (see ``FaultInjectingLaser``).
public struct FaultInjectingDetector: PhotonDetector {
    public let inner: any PhotonDetector
    public let injector: FaultInjector

    public init(_ inner: any PhotonDetector, injector: FaultInjector) {
        self.inner = inner
        self.injector = injector
    }

    public var name: String { inner.name }
    public var capabilities: Set<DeviceCapability> { inner.capabilities }
    public var channel: Int32 { inner.channel }
    public var biasLimit: SetpointLimit<Current> { inner.biasLimit }

    private func gate(_ command: String) async throws(PhotonDetectorError) { try await injector.gate(name, command, as: PhotonDetectorError.self) }

    public func identify() async throws -> DeviceIdentity {
        try await gate("identify")
        return try await inner.identify()
    }
    public func spec() async throws(PhotonDetectorError) -> DetectorSpec {
        try await gate("spec")
        return try await inner.spec()
    }
    public func setEnabled(_ on: Bool) async throws(PhotonDetectorError) {
        try await gate("setEnabled")
        try await inner.setEnabled(on)
    }
    public func setBias(_ bias: Current) async throws(PhotonDetectorError) {
        try await gate("setBias")
        try await inner.setBias(bias)
    }
    public func bias() async throws(PhotonDetectorError) -> Current {
        try await gate("bias")
        return try await inner.bias()
    }
    public func latchState() async throws(PhotonDetectorError) -> LatchState {
        try await gate("latchState")
        return try await inner.latchState()
    }
    public func recoverFromLatch() async throws(PhotonDetectorError) -> LatchState {
        try await gate("recoverFromLatch")
        return try await inner.recoverFromLatch()
    }
}
