import IonLink

/// A simulated pulse generator that accepts and remembers a sequence.
public actor SimulatedPulseGenerator: PulseGenerator {
    public nonisolated let name: String
    public nonisolated let minimumStep: Duration
    public nonisolated let capabilities: Set<DeviceCapability> = [.pulseProgramming]
    private var sequence: PulseSequence?

    public init(name: String, minimumStep: Duration = .nanoseconds(1)) {
        self.name = name
        self.minimumStep = minimumStep
    }

    public func identify() async throws -> DeviceIdentity {
        DeviceIdentity(vendor: "IonLink", model: "SimulatedPulseGenerator", serialNumber: name, firmware: "sim")
    }

    public func program(_ sequence: PulseSequence) async throws(PulseGeneratorError) {
        guard !sequence.steps.isEmpty else { throw .emptySequence(device: name) }
        if let short = sequence.steps.first(where: { $0.duration < minimumStep }) {
            throw .stepTooShort(device: name, step: short.role.rawValue, minimum: minimumStep)
        }
        self.sequence = sequence
        isStopped = false
    }

    public func programmed() async -> PulseSequence? { sequence }

    /// Whether ``stop()`` was called since the last ``program(_:)``.
    public private(set) var isStopped = false

    public func stop() async throws(PulseGeneratorError) { isStopped = true }
}
