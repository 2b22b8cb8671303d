import IonLink
import Logging

/// A simulated single-photon detector. An SNSPD biased above its switching current latches
/// (stops clicking) until the bias is removed and restored below the switching current.
public actor SimulatedPhotonDetector: PhotonDetector {
    public nonisolated let name: String
    public nonisolated let channel: Int32
    public nonisolated let biasLimit: SetpointLimit<Current>
    public nonisolated let capabilities: Set<DeviceCapability>
    private let world: SimulatedWorld
    /// Click slots (see ``ClickSlot``) this detector serves.
    private let slots: [Int]
    private let figures: DetectorSpec
    private let switchingCurrent: Current
    private var biasCurrent: Current
    private var enabled = true
    /// Whether the detector is biased and counting (false after `setEnabled(false)`).
    public var isEnabled: Bool { enabled }
    private var latched = false
    private let logger: Logger

    public init(name: String, channel: Int32, slots: [Int], world: SimulatedWorld, spec: DetectorSpec,
                bias: Current, switchingCurrent: Current, biasLimit: SetpointLimit<Current>, logger: Logger) {
        self.name = name
        self.channel = channel
        self.slots = slots
        self.world = world
        figures = spec
        biasCurrent = bias
        self.switchingCurrent = switchingCurrent
        self.biasLimit = biasLimit
        capabilities = spec.kind == .snspd ? [.biasControl, .latchDetection] : [.gating]
        self.logger = logger.forDevice(name)
        latched = spec.kind == .snspd && bias > switchingCurrent
        Self.publish(world: world, slots: slots, live: !latched)
    }

    public func identify() async throws -> DeviceIdentity {
        DeviceIdentity(vendor: "IonLink", model: "Simulated\(figures.kind.rawValue.uppercased())", serialNumber: name, firmware: "sim")
    }

    public func spec() async throws(PhotonDetectorError) -> DetectorSpec { figures }

    public func setEnabled(_ on: Bool) async throws(PhotonDetectorError) {
        enabled = on
        if !on { latched = false }
        publish()
    }

    public func setBias(_ bias: Current) async throws(PhotonDetectorError) {
        guard figures.kind == .snspd else { throw .unsupported(device: name, operation: "bias") }
        guard biasLimit.allows(bias) else { throw .biasOutOfRange(device: name, requested: bias, allowed: biasLimit) }
        logger.debug("set bias", metadata: ["command": "setBias", "value": "\(bias)"])
        biasCurrent = bias
        if bias > switchingCurrent { latched = true }
        publish()
    }

    public func bias() async throws(PhotonDetectorError) -> Current { biasCurrent }

    public func latchState() async throws(PhotonDetectorError) -> LatchState {
        guard figures.kind == .snspd else { return .notApplicable }
        return latched ? .latched : .normal
    }

    /// Ramps the bias to zero (the nanowire returns to superconduction) and back to the setpoint.
    public func recoverFromLatch() async throws(PhotonDetectorError) -> LatchState {
        guard figures.kind == .snspd else { return .notApplicable }
        logger.info("re-bias to recover from latch", metadata: ["command": "recoverFromLatch"])
        latched = biasCurrent > switchingCurrent
        publish()
        return latched ? .latched : .normal
    }

    /// Drives the wire resistive, as a bright flash or a bias transient does (SNSPDs only).
    public func forceLatch() {
        guard figures.kind == .snspd, enabled else { return }
        logger.warning("latched", metadata: ["command": "forceLatch"])
        latched = true
        publish()
    }

    private func publish() { Self.publish(world: world, slots: slots, live: enabled && !latched) }

    private static func publish(world: SimulatedWorld, slots: [Int], live: Bool) {
        world.withState { s in for i in slots { s.slotLive[i] = live } }
    }
}
