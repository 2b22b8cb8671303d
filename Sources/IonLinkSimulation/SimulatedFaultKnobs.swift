import IonLink

// The simulated devices' fault knobs: what a fault plan can do to the simulated world beyond a broken
// conversation.

extension SimulatedLaser: FaultKnob {
    public nonisolated var knobFaults: Set<FaultKind> { [.interlock] }
    /// The interlock opens (emission stops) and, at the end, closes; emission stays off until the
    /// lab switches it on again, as on a real laser.
    public func begin(_ fault: ScheduledFault) async { if fault.kind == .interlock { await setInterlock(closed: false) } }
    public func end(_ fault: ScheduledFault) async { if fault.kind == .interlock { await setInterlock(closed: true) } }
}

extension SimulatedPhotonDetector: FaultKnob {
    public nonisolated var knobFaults: Set<FaultKind> { [.latch] }
    /// The wire switches to its resistive state (a flash of light): no clicks until the bias is cycled.
    public func begin(_ fault: ScheduledFault) async { if fault.kind == .latch { forceLatch() } }
    public func end(_ fault: ScheduledFault) async {}
}

extension SimulatedTrapController: FaultKnob {
    public nonisolated var knobFaults: Set<FaultKind> { [.ionLoss] }
    /// A background-gas collision knocks the ion out of the trap.
    public func begin(_ fault: ScheduledFault) async { if fault.kind == .ionLoss { loseIon() } }
    public func end(_ fault: ScheduledFault) async {}
}

extension SimulatedTimeTagger: FaultKnob {
    public var knobFaults: Set<FaultKind> { [.overflow] }
    /// The tagger's buffer overflows: tags are dropped (and reported as lost) until the end.
    public func begin(_ fault: ScheduledFault) async { if fault.kind == .overflow { setOverflowing(true) } }
    public func end(_ fault: ScheduledFault) async { if fault.kind == .overflow { setOverflowing(false) } }
}

extension SimulatedLab {
    /// Every simulated device's fault knob, by device name.
    public var faultKnobs: [String: any FaultKnob] {
        var knobs: [String: any FaultKnob] = [tagger.name: tagger]
        for n in lab.nodes {
            for device in [n.cooling, n.excitation, n.trap] as [any Device] {
                if let knob = device as? any FaultKnob { knobs[device.name] = knob }
            }
        }
        for d in lab.detectors { if let knob = d as? any FaultKnob { knobs[d.name] = knob } }
        return knobs
    }
}
