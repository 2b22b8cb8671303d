/// A device's physics, reachable by a fault plan: the faults that are not a broken conversation
/// (``FaultKind/isWrapperFault``) but something happening to the instrument or what it controls — a
/// simulated laser's interlock, a simulated SNSPD's latch, an emulated bias rack's nanowire.
public protocol FaultKnob: Sendable {
    /// The faults this knob can produce.
    var knobFaults: Set<FaultKind> { get }
    /// Starts a fault: the interlock opens, the wire latches, the ion is lost, the tagger overflows.
    func begin(_ fault: FaultKind) async
    /// Ends a fault that lasts (`interlock`, `overflow`); others end by the lab's own recovery.
    func end(_ fault: FaultKind) async
}

/// A fault as it was injected, for the run's log and the fault matrix.
public struct InjectedFault: Sendable, Hashable {
    /// Lab time since the run began.
    public var at: Duration
    public var device: String
    public var kind: FaultKind
    /// `begin`, `end` or, for wrapper faults, the command that failed.
    public var what: String
}

/// What a wrapped device's next call does instead of reaching the device.
public enum InjectedFailure: Sendable, Hashable {
    /// No reply: the call fails after the reply timeout (which is spent on the lab clock).
    case timeout
    /// A reply of line noise.
    case garbage(String)
    /// The device is off the bus.
    case disconnected
}
