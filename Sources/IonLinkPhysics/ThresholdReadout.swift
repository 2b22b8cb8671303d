import Foundation
import IonLink

/// Qubit readout by state-dependent fluorescence, thresholded: the detection light makes a bright ion
/// scatter and leaves a dark one dark, a photon counter gated for a window t counts n photons, and the
/// ion is declared bright when n ≥ the threshold.
///
/// Both counts are Poisson (shot noise of a fluorescence rate and of stray light): bright with mean
/// μ_b = (R_ion + R_bg)·t, dark with μ_d = R_bg·t (Myerson et al., PRL 100, 200502 (2008), eq. 1, without
/// the decay of a shelved state during the window). So a dark ion reads bright with probability
/// ε_d = P(n ≥ k | μ_d) and a bright one dark with ε_b = P(n < k | μ_b), and the readout fidelity is
/// f = 1 − (ε_d + ε_b)/2.
///
/// For the verified fidelity (``ReadoutBias``) the error is taken as a symmetric flip with that f: for
/// heralded states whose single-ion marginals are even (all Bell states), each correlator is then scaled
/// by (1 − ε_d − ε_b)² = (2f − 1)², and the exact expectation differs by 3(ε_d − ε_b)²/4 at most.
public struct ThresholdReadout: Sendable, Hashable {
    /// The detected count rate of a bright ion, background excluded.
    public var ionRate: Frequency
    /// The detected count rate of stray light and dark counts.
    public var backgroundRate: Frequency
    /// The counter's gate.
    public var window: Duration
    /// Counts at or above which the ion reads bright.
    public var threshold: Int

    public init(ionRate: Frequency, backgroundRate: Frequency, window: Duration, threshold: Int) {
        self.ionRate = ionRate
        self.backgroundRate = backgroundRate
        self.window = window
        self.threshold = threshold
    }

    /// The mean count of a dark ion, μ_d = R_bg·t.
    public var darkMean: Double { backgroundRate.hertz * window.inSeconds }
    /// The mean count of a bright ion, μ_b = (R_ion + R_bg)·t.
    public var brightMean: Double { (ionRate.hertz + backgroundRate.hertz) * window.inSeconds }
    /// ε_d: a dark ion read bright, P(n ≥ k | μ_d).
    public var darkReadBright: Probability { Probability(unchecked: 1 - Self.poissonCDF(below: threshold, mean: darkMean)) }
    /// ε_b: a bright ion read dark, P(n < k | μ_b).
    public var brightReadDark: Probability { Probability(unchecked: Self.poissonCDF(below: threshold, mean: brightMean)) }
    /// f = 1 − (ε_d + ε_b)/2.
    public var fidelity: Probability {
        Probability(unchecked: 1 - (darkReadBright.value + brightReadDark.value) / 2)
    }

    /// P(n < k) for n ~ Poisson(μ): Σ_{n<k} e^{−μ} μⁿ/n!, each term from its logarithm (no overflow for
    /// large μ or k).
    public static func poissonCDF(below k: Int, mean mu: Double) -> Double {
        guard k > 0 else { return 0 }
        guard mu > 0 else { return 1 }
        var sum = 0.0
        for n in 0..<k {
            sum += exp(Double(n) * log(mu) - mu - lgamma(Double(n + 1)))
        }
        return min(1, sum)
    }
}
