/// The devices of one ion-trap node.
public struct LabNode: Sendable {
    public var name: String
    public var cooling: any Laser
    public var excitation: any Laser
    public var trap: any TrapController
    /// The pump laser of the node's frequency converter (nil without conversion).
    public var converterPump: (any Laser)?
    /// The crystal oven of the node's frequency converter (nil without conversion or oven).
    public var converterOven: (any TemperatureController)?

    public init(name: String, cooling: any Laser, excitation: any Laser, trap: any TrapController,
                converterPump: (any Laser)? = nil, converterOven: (any TemperatureController)? = nil) {
        self.converterPump = converterPump
        self.converterOven = converterOven
        self.name = name
        self.cooling = cooling
        self.excitation = excitation
        self.trap = trap
    }
}

/// A lab wired role by role: each role may be a simulated, emulated or real device.
public struct Lab: Sendable {
    public var nodes: [LabNode]
    public var detectors: [any PhotonDetector]
    public var tagger: any TimeTagger
    public var pulses: any PulseGenerator
    public var attemptLoop: any AttemptLoop
    public var clock: any LabClock
    /// The pulse sequence of one attempt.
    public var attemptSequence: PulseSequence
    /// Where each click slot shows up on the tagger, for checking heralds against their windows.
    public var slotLayout: SlotLayout

    public init(nodes: [LabNode], detectors: [any PhotonDetector], tagger: any TimeTagger, pulses: any PulseGenerator,
                attemptLoop: any AttemptLoop, clock: any LabClock, attemptSequence: PulseSequence,
                slotLayout: SlotLayout) {
        self.nodes = nodes
        self.detectors = detectors
        self.tagger = tagger
        self.pulses = pulses
        self.attemptLoop = attemptLoop
        self.clock = clock
        self.attemptSequence = attemptSequence
        self.slotLayout = slotLayout
    }
}
