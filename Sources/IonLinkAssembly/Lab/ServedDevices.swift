import IonLink

/// Which part of a lab a node serves.
public enum LabPart: String, Sendable, Hashable, CaseIterable {
    /// Trap node A: its cooling and excitation lasers and its trap controller.
    case nodeA
    /// Trap node B.
    case nodeB
    /// The detection hub: detectors, tagger, pulse generator, the attempt loop and the lab clock.
    case hub
}

/// The devices a node serves, by role ("nodeA.excitation", "hub.detector1", "hub.loop", …).
public struct ServedDevices: Sendable {
    public var lasers: [String: any Laser] = [:]
    public var traps: [String: any TrapController] = [:]
    public var detectors: [String: any PhotonDetector] = [:]
    public var pulses: [String: any PulseGenerator] = [:]
    public var taggers: [String: any TimeTagger] = [:]
    /// Converter ovens (`nodeA.converter_oven`), where a node converts its photons.
    public var ovens: [String: any TemperatureController] = [:]
    public var loops: [String: any AttemptLoop] = [:]
    /// The lab clock (role "hub.clock"); every reply carries its time.
    public var clock: (any LabClock)?

    public init() {}

    /// The given parts of `lab` (all of them: the whole lab).
    public init(lab: Lab, parts: Set<LabPart> = Set(LabPart.allCases)) {
        for (i, node) in lab.nodes.enumerated() where parts.contains(i == 0 ? .nodeA : .nodeB) {
            let p = Self.nodePrefix(i)
            lasers[p + ".cooling"] = node.cooling
            lasers[p + ".excitation"] = node.excitation
            traps[p + ".trap"] = node.trap
            if let oven = node.converterOven { ovens[p + ".converter_oven"] = oven }
            if let pump = node.converterPump { lasers[p + ".converter_pump"] = pump }
        }
        if parts.contains(.hub) {
            for d in lab.detectors { detectors["hub.detector\(d.channel)"] = d }
            pulses["hub.pulses"] = lab.pulses
            taggers["hub.tagger"] = lab.tagger
            loops["hub.loop"] = lab.attemptLoop
            clock = lab.clock
        }
    }

    /// "nodeA" for the first node, "nodeB" for the second.
    public static func nodePrefix(_ index: Int) -> String { index == 0 ? "nodeA" : "nodeB" }

    /// The served instruments (those with an identity: not the attempt loop or the clock), by role.
    public var instruments: [String: any Device] {
        var all: [String: any Device] = [:]
        for (r, d) in lasers { all[r] = d }
        for (r, d) in traps { all[r] = d }
        for (r, d) in detectors { all[r] = d }
        for (r, d) in pulses { all[r] = d }
        for (r, d) in taggers { all[r] = d }
        for (r, d) in ovens { all[r] = d }
        return all
    }

    /// Every role served, sorted.
    public var roles: [String] { (Array(instruments.keys) + Array(loops.keys) + (clock == nil ? [] : ["hub.clock"])).sorted() }
}
