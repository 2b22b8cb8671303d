/// One ``PhotonDetector`` operation as a value (see ``DeviceCall``).
public enum DetectorCall: DeviceCall, Hashable {
    case spec
    case setEnabled(Bool)
    case setBias(Current)
    case bias
    case latchState
    case recoverFromLatch

    /// What a detector call returns.
    public enum Outcome: Sendable, Hashable {
        case done
        case spec(DetectorSpec)
        case bias(Current)
        case latch(LatchState)
    }

    public var command: String {
        switch self {
        case .spec: "spec"
        case .setEnabled: "setEnabled"
        case .setBias: "setBias"
        case .bias: "bias"
        case .latchState: "latchState"
        case .recoverFromLatch: "recoverFromLatch"
        }
    }

    public var changesDevice: Bool {
        switch self {
        case .setEnabled, .setBias, .recoverFromLatch: true
        case .spec, .bias, .latchState: false
        }
    }

    public func check(against detector: any PhotonDetector) throws(PhotonDetectorError) {
        if case let .setBias(b) = self, !detector.biasLimit.allows(b) {
            throw .biasOutOfRange(device: detector.name, requested: b, allowed: detector.biasLimit)
        }
    }

    public func perform(on detector: any PhotonDetector) async throws(PhotonDetectorError) -> Outcome {
        switch self {
        case .spec: return .spec(try await detector.spec())
        case let .setEnabled(on): try await detector.setEnabled(on)
        case let .setBias(b): try await detector.setBias(b)
        case .bias: return .bias(try await detector.bias())
        case .latchState: return .latch(try await detector.latchState())
        case .recoverFromLatch: return .latch(try await detector.recoverFromLatch())
        }
        return .done
    }
}
