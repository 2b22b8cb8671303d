import IonLink

/// The photon's path from one ion to a click, stage by stage.
///
/// η = excitation × branching × collection × fiber coupling × optics × conversion × fiber transmission ×
/// detector efficiency × window acceptance (docs/physics.md, "The models": efficiency chain).
public struct EfficiencyChain: Sendable, Hashable {
    public var excitation: Efficiency
    public var branching: Efficiency
    public var collection: Efficiency
    public var fiberCoupling: Efficiency
    public var opticsTransmission: Efficiency
    public var fiberTransmission: Efficiency
    public var detector: Efficiency
    /// Probability that a detected photon's click falls inside the detection window.
    public var windowAcceptance: Efficiency
    /// Frequency conversion's transmission (``FrequencyConversion/transmission``; 1 without conversion).
    public var conversion: Efficiency

    public init(excitation: Efficiency, branching: Efficiency, collection: Efficiency, fiberCoupling: Efficiency,
                opticsTransmission: Efficiency, fiberTransmission: Efficiency, detector: Efficiency,
                windowAcceptance: Efficiency, conversion: Efficiency = .one) {
        self.conversion = conversion
        self.excitation = excitation
        self.branching = branching
        self.collection = collection
        self.fiberCoupling = fiberCoupling
        self.opticsTransmission = opticsTransmission
        self.fiberTransmission = fiberTransmission
        self.detector = detector
        self.windowAcceptance = windowAcceptance
    }

    /// Probability that one emitted photon produces an in-window click (everything but excitation).
    public var perPhoton: Efficiency {
        branching * collection * fiberCoupling * opticsTransmission * conversion * fiberTransmission * detector * windowAcceptance
    }

    /// The whole chain: probability that an attempt yields an in-window click from this node.
    public var total: Efficiency { excitation * perPhoton }

    /// The stages by name, for reports.
    public var stages: [(String, Efficiency)] {
        [("excitation", excitation), ("branching", branching), ("collection", collection),
         ("fiber_coupling", fiberCoupling), ("optics", opticsTransmission),
         ("conversion", conversion), ("fiber", fiberTransmission),
         ("detector", detector), ("window", windowAcceptance)]
    }
}
