/// What a gated light pulse does in the heralding protocol (`wait`: no gate open, a pause between pulses).
public enum PulseRole: String, Sendable, Hashable, Codable, CaseIterable {
    case cool, pump, excite, detect, wait
}

/// One step of a pulse sequence: which role's gate is open and for how long.
public struct PulseStep: Sendable, Hashable {
    public var role: PulseRole
    public var duration: Duration
    public init(_ role: PulseRole, _ duration: Duration) {
        self.role = role
        self.duration = duration
    }
}

/// A sequence of gate steps, repeated by the hardware.
public struct PulseSequence: Sendable, Hashable {
    public var steps: [PulseStep]
    public init(_ steps: [PulseStep]) { self.steps = steps }
    /// The total length of one repetition.
    public var period: Duration { steps.reduce(.zero) { $0 + $1.duration } }
}

/// A digital pulse/delay generator gating cool, pump and excite light.
public protocol PulseGenerator: Device {
    /// The shortest step the hardware can produce.
    var minimumStep: Duration { get }
    /// Loads a sequence; it runs when the attempt loop fires it.
    func program(_ sequence: PulseSequence) async throws(PulseGeneratorError)
    /// The sequence most recently programmed.
    func programmed() async -> PulseSequence?
    /// Stops firing: no further attempt is triggered until a burst is fired again (the safe state).
    func stop() async throws(PulseGeneratorError)
}
