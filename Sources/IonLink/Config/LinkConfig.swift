import Foundation

/// What the lab entangles (`link:`; docs/lab-yaml.md, "Ion–photon links").
///
/// `ion_ion` (the default, and the only kind instruments run): two nodes' photons meet at the hub's beam splitter
/// and a coincidence heralds the two ions. `ion_photon`: one node's photon travels to the hub, where its polarization
/// is analysed; each click heralds ion–photon entanglement across the fiber, the elementary link published
/// long-distance experiments report. Its attempts may be multiplexed over several modes (ions or time bins).
public enum LinkConfig: Sendable, Hashable {
    case ionIon
    case ionPhoton(IonPhotonLinkConfig)

    /// The ion–photon link's settings, or nil for an ion–ion lab.
    public var ionPhoton: IonPhotonLinkConfig? {
        if case let .ionPhoton(c) = self { return c }
        return nil
    }
}

/// Where the herald signal of an ion–photon link travels back to the node.
public enum HeraldReturn: String, Sendable, Hashable, CaseIterable {
    /// Over the photon's own fiber length (a deployed link): the node hears the click a round trip after emitting.
    case fiber
    /// Over a short local cable (a fiber spool with both ends in the lab): only the photon's way counts.
    case local
}

/// An ion–photon link as configured (`link: {kind: ion_photon, ...}`).
public struct IonPhotonLinkConfig: Sendable, Hashable {
    /// Modes per attempt: photons emitted one after another (several ions, or time bins of one ion) before the node
    /// waits for a herald. An attempt succeeds when any of its modes heralds.
    public var modes: Int
    /// Time from one mode's emission to the next's (the emission pulse included, and any shuttling between ions).
    public var modeSpacing: Duration
    /// Time spent once per attempt before the modes: cooling and optical pumping, control-system latency.
    public var attemptOverhead: Duration
    /// How the herald comes back.
    public var heraldReturn: HeraldReturn
    /// Fidelity of the ion–photon state with its Bell state as the node emits it (measured near zero distance, before
    /// the fiber's noise): the imperfection of the emission process itself, taken as white (a Werner state).
    public var sourceFidelity: Probability

    public init(modes: Int, modeSpacing: Duration, attemptOverhead: Duration, heraldReturn: HeraldReturn, sourceFidelity: Probability) {
        self.modes = modes
        self.modeSpacing = modeSpacing
        self.attemptOverhead = attemptOverhead
        self.heraldReturn = heraldReturn
        self.sourceFidelity = sourceFidelity
    }
}

extension LabConfig {
    /// `link: {kind: ion_photon, modes: 3, mode_spacing_us: 62, attempt_overhead_us: 70, herald_return: local,
    /// source_fidelity: 0.95}`, or `link: {kind: ion_ion}`.
    static func parseLink(_ s: ConfigSection) throws(ConfigError) -> LinkConfig {
        let kind = try s.choice("kind", of: ["ion_ion", "ion_photon"])
        guard kind == "ion_photon" else {
            try s.finish()
            return .ionIon
        }
        let c = IonPhotonLinkConfig(
            modes: try s.int("modes", in: 1...10_000),
            modeSpacing: .secondsDouble(try s.double("mode_spacing_us", in: 0.001...1e6) * 1e-6),
            attemptOverhead: .secondsDouble(try s.double("attempt_overhead_us", in: 0...1e7) * 1e-6),
            heraldReturn: HeraldReturn(rawValue: try s.choice("herald_return", of: HeraldReturn.allCases.map(\.rawValue)))!,
            sourceFidelity: Probability(unchecked: try s.double("source_fidelity", in: 0.25...1)))
        try s.finish()
        return .ionPhoton(c)
    }
}
