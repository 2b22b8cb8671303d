import Foundation
import IonLink

/// Probability that a photon's click lands inside a detection window.
///
/// The click time relative to the photon's expected arrival is X = E + J with E ~ Exp(τ) (the
/// spontaneous-emission wavepacket) and J ~ N(0, σ²) (detector and tagger jitter): an exponentially
/// modified Gaussian, whose CDF is
/// F(x) = Φ(x/σ) − exp(−x/τ + σ²/(2τ²)) · Φ(x/σ − σ/τ)
/// (Grushka, Anal. Chem. 44, 1733 (1972)). For σ = 0 it is 1 − e^{−x/τ} for x ≥ 0.
public struct DetectionWindow: Sendable, Hashable {
    /// Window start relative to the expected photon arrival (may be negative).
    public var start: Duration
    public var length: Duration

    public init(start: Duration, length: Duration) {
        self.start = start
        self.length = length
    }

    /// P(start ≤ X ≤ start + length).
    public func acceptance(lifetime: Duration, jitterSigma: Duration) -> Probability {
        let tau = lifetime.inSeconds
        let sigma = jitterSigma.inSeconds
        let a = start.inSeconds
        let b = (start + length).inSeconds
        let p = emgCDF(b, tau: tau, sigma: sigma) - emgCDF(a, tau: tau, sigma: sigma)
        return Probability(unchecked: min(1, max(0, p)))
    }
}

/// CDF of Exp(τ) + N(0, σ²) at x.
func emgCDF(_ x: Double, tau: Double, sigma: Double) -> Double {
    if sigma <= 0 { return x <= 0 ? 0 : -expm1(-x / tau) }
    let z = x / sigma
    let phi = 0.5 * erfc(-z / 2.squareRoot())
    let shifted = z - sigma / tau
    let tail = 0.5 * erfc(-shifted / 2.squareRoot())
    guard tail > 0 else { return phi }
    // exp(−x/τ + σ²/2τ²) can overflow where tail underflows: combine in log space.
    let logTerm = -x / tau + sigma * sigma / (2 * tau * tau) + log(tail)
    return phi - exp(logTerm)
}
