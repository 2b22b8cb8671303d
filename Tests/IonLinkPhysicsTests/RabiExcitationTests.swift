import Foundation
import Testing
import IonLink
import IonLinkPhysics

/// The excitation pulse's probability against laser power, checked against its analytic anchors and
/// against the two-level Schrödinger equation integrated numerically (no closed form used).
@Suite struct RabiExcitationTests {
    /// Excited population after a resonant pulse of area `area` (= Ω·t), integrating
    /// i·d/dt (c_g, c_e) = (Ω/2)(c_e, c_g) with fourth-order Runge–Kutta in 1000 steps (error ~h⁴ ≈ 1e-11).
    func integratedPopulation(area: Double) -> Double {
        var g = (re: 1.0, im: 0.0), e = (re: 0.0, im: 0.0)
        let n = 1000, h = area / Double(n)
        // d/dτ c_g = −i/2 · c_e, d/dτ c_e = −i/2 · c_g (τ = Ω t).
        func f(_ g: (re: Double, im: Double), _ e: (re: Double, im: Double)) -> ((re: Double, im: Double), (re: Double, im: Double)) {
            ((re: e.im / 2, im: -e.re / 2), (re: g.im / 2, im: -g.re / 2))
        }
        func add(_ a: (re: Double, im: Double), _ b: (re: Double, im: Double), _ k: Double) -> (re: Double, im: Double) {
            (re: a.re + k * b.re, im: a.im + k * b.im)
        }
        for _ in 0..<n {
            let (k1g, k1e) = f(g, e)
            let (k2g, k2e) = f(add(g, k1g, h / 2), add(e, k1e, h / 2))
            let (k3g, k3e) = f(add(g, k2g, h / 2), add(e, k2e, h / 2))
            let (k4g, k4e) = f(add(g, k3g, h), add(e, k3e, h))
            g = add(g, (re: k1g.re + 2 * k2g.re + 2 * k3g.re + k4g.re, im: k1g.im + 2 * k2g.im + 2 * k3g.im + k4g.im), h / 6)
            e = add(e, (re: k1e.re + 2 * k2e.re + 2 * k3e.re + k4e.re, im: k1e.im + 2 * k2e.im + 2 * k3e.im + k4e.im), h / 6)
        }
        return e.re * e.re + e.im * e.im
    }

    /// The area (≤ π) whose integrated population is `p`, by bisection.
    func area(reaching p: Double) -> Double {
        var lo = 0.0, hi = Double.pi
        for _ in 0..<40 {
            let mid = (lo + hi) / 2
            if integratedPopulation(area: mid) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    @Test func analyticAnchors() {
        let p0 = Probability(unchecked: 0.5)
        #expect(abs(rabiExcitationProbability(power: .milliwatts(2), reference: .milliwatts(2), referenceProbability: p0).value - 0.5) < 1e-12)
        // A π/2 pulse at four times the power is a π pulse.
        #expect(abs(rabiExcitationProbability(power: .milliwatts(8), reference: .milliwatts(2), referenceProbability: p0).value - 1) < 1e-12)
        #expect(rabiExcitationProbability(power: .zero, reference: .milliwatts(2), referenceProbability: p0).value == 0)
        // A π pulse at a quarter of the power is a π/2 pulse.
        let half = rabiExcitationProbability(power: .milliwatts(0.5), reference: .milliwatts(2), referenceProbability: Probability(unchecked: 1))
        #expect(abs(half.value - 0.5) < 1e-12)
    }

    /// The lab's 0.98 pulse at powers from a tenth to twice the configured one, against the integrated
    /// Schrödinger equation with the Rabi frequency scaled by √(P/P₀).
    @Test(arguments: [0.1, 0.5, 0.8, 1.0, 1.2, 2.0]) func matchesTheIntegratedTwoLevelAtom(_ ratio: Double) {
        let p0 = 0.98
        let area0 = area(reaching: p0)
        let expected = integratedPopulation(area: area0 * ratio.squareRoot())
        let p = rabiExcitationProbability(power: .milliwatts(2 * ratio), reference: .milliwatts(2), referenceProbability: Probability(unchecked: p0))
        #expect(abs(p.value - expected) < 1e-6, "P/P0 = \(ratio): \(p.value) vs integrated \(expected)")
    }
}
