import Foundation

/// An SNSPD's efficiency curve against bias: the current at which it reaches half its plateau, and the
/// width of its rise (``DetectorConfig/efficiency(atBias:)``).
public struct EfficiencyCurve: Sendable, Hashable {
    public var inflection: Current
    public var width: Current

    public init(inflection: Current, width: Current) {
        self.inflection = inflection
        self.width = width
    }
}

extension DetectorConfig {
    /// The detection efficiency at bias current `current`: the configured `efficiency` at the configured
    /// `bias_ua`, scaled along the SNSPD's bias curve when the lab gives one (else flat).
    ///
    /// An SNSPD's efficiency rises with bias as a sigmoid to a plateau: the current at which an absorbed
    /// photon's hotspot makes the wire click is spread by Fano fluctuations and the wire's
    /// inhomogeneity, and the efficiency follows its cumulative distribution, η(I) = η_max·S(I) with
    /// S(I) = ½·erfc((I_ip − I)/(√2·σ)) (the error-function form fitted to efficiency-versus-bias curves,
    /// e.g. Kozorezov et al., Phys. Rev. B 96, 054507 (2017)). Here η_max = efficiency / S(bias_ua).
    /// (`DetectorBiasCurveTests` checks S against the Gaussian's density integrated numerically.)
    public func efficiency(atBias current: Current) -> Double {
        guard let c = efficiencyCurve else { return spec.efficiency.value }
        return spec.efficiency.value * Self.saturation(current, inflection: c.inflection, width: c.width)
            / Self.saturation(bias, inflection: c.inflection, width: c.width)
    }

    /// The plateau efficiency η_max = efficiency / S(bias_ua) (the configured efficiency without a curve).
    public var plateauEfficiency: Double {
        guard let c = efficiencyCurve else { return spec.efficiency.value }
        return spec.efficiency.value / Self.saturation(bias, inflection: c.inflection, width: c.width)
    }

    /// S(I) = ½·erfc((I_ip − I)/(√2·σ)), the fraction of the plateau reached at `current`.
    public static func saturation(_ current: Current, inflection: Current, width: Current) -> Double {
        0.5 * erfc((inflection.amperes - current.amperes) / (2.0.squareRoot() * width.amperes))
    }
}
