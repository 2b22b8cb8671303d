import Foundation
import IonLink

/// Random variates used by the simulated lab, each by a textbook inverse-transform or exact method.
extension SeededGenerator {
    /// Number of failures before the first success of a Bernoulli(p) process:
    /// ⌊ln U / ln(1 − p)⌋ with U ~ U(0,1] (inverse transform of the geometric CDF,
    /// Devroye, *Non-Uniform Random Variate Generation* §X.2). `Int64.max` for p = 0.
    public mutating func geometricFailures(logOneMinusP: Double) -> Int64 {
        guard logOneMinusP < 0 else { return .max }
        let g = (log(nextOpenUnit()) / logOneMinusP).rounded(.down)
        return g >= 9.2e18 ? .max : Int64(g)
    }

    /// Exp(mean) by inversion.
    public mutating func exponential(mean: Double) -> Double { -mean * log(nextOpenUnit()) }

    /// N(0,1) by Box–Muller.
    public mutating func standardNormal() -> Double {
        let u1 = nextOpenUnit(), u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Poisson(mean): multiplication method for small means, normal approximation with continuity
    /// correction above 500 (relative error of the approximation < 1e-3 there).
    public mutating func poisson(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 500 { return max(0, Int((mean + mean.squareRoot() * standardNormal()).rounded())) }
        let limit = exp(-mean)
        var k = 0
        var p = nextOpenUnit()
        while p > limit { k += 1; p *= nextOpenUnit() }
        return k
    }

    /// Bernoulli(p).
    @inline(__always) public mutating func bernoulli(_ p: Double) -> Bool { nextUnit() < p }
}
