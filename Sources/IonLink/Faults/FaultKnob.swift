/// A device's physics or its wire, reachable by a fault plan: something happening to the instrument
/// itself — a simulated laser's interlock, a simulated SNSPD's latch, an emulated bias rack's nanowire,
/// an emulator's dropped, garbled or unplugged replies (then the real driver meets the fault on the wire,
/// instead of a wrapper faking its error).
public protocol FaultKnob: Sendable {
    /// The faults this knob can produce.
    var knobFaults: Set<FaultKind> { get }
    /// Starts a fault: the interlock opens, the wire latches, the ion is lost, the tagger overflows, the
    /// next `count` replies are dropped or garbled, the cable is pulled.
    func begin(_ fault: ScheduledFault) async
    /// Ends a fault that lasts (`interlock`, `overflow`, `disconnect`); others end by the lab's own recovery.
    func end(_ fault: ScheduledFault) async
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
