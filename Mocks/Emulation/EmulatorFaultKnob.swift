import IonLink

/// A fault plan's hand on an emulated instrument: the faults happen on the wire and inside the emulator,
/// so the real driver (over real libserialport) meets them as it would meet a real instrument's.
///
/// - `timeout`: the next `count` replies are swallowed; `garbage`: replaced by line noise.
/// - `disconnect`: the cable is pulled (the device leaves the bus) and plugged back in after `for_s`,
///   under a new `ttyUSB<n>` as a real adapter may be.
/// - `latch` and `interlock`, when the emulator has them: `latch` runs on the serving queue
///   (e.g. an SNSPD circuit's `forceLatch()`); `interlock` opens the loop, then closes it.
public struct EmulatorFaultKnob: FaultKnob {
    public let port: EmulatedSerialPort
    private let latch: (@Sendable (any InstrumentEmulator) -> Void)?
    private let interlock: (@Sendable (any InstrumentEmulator, _ closed: Bool) -> Void)?

    public init(port: EmulatedSerialPort, latch: (@Sendable (any InstrumentEmulator) -> Void)? = nil,
                interlock: (@Sendable (any InstrumentEmulator, _ closed: Bool) -> Void)? = nil) {
        self.port = port
        self.latch = latch
        self.interlock = interlock
    }

    public var knobFaults: Set<FaultKind> {
        var kinds: Set<FaultKind> = [.timeout, .garbage, .disconnect]
        if latch != nil { kinds.insert(.latch) }
        if interlock != nil { kinds.insert(.interlock) }
        return kinds
    }

    public func begin(_ fault: ScheduledFault) async {
        switch fault.kind {
        case .timeout: port.faults.withLock { $0.dropReplies += fault.count }
        case .garbage: port.faults.withLock { $0.garbleReplies += fault.count }
        case .disconnect: port.unplug()
        case .latch: if let latch { port.withEmulator(latch) }
        case .interlock: if let interlock { port.withEmulator { interlock($0, false) } }
        case .overflow, .ionLoss, .kill: break
        }
    }

    public func end(_ fault: ScheduledFault) async {
        switch fault.kind {
        case .disconnect: if !port.isPluggedIn { try? port.plugIn() }
        case .interlock: if let interlock { port.withEmulator { interlock($0, true) } }
        default: break
        }
    }
}
