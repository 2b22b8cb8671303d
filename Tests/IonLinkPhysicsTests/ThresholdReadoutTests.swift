import Foundation
import Testing
import IonLink
import IonLinkPhysics

/// Thresholded fluorescence readout against its analytic anchors and against counts drawn shot by shot
/// (Knuth's product-of-uniforms Poisson sampler, which shares nothing with the summed distribution).
@Suite struct ThresholdReadoutTests {
    /// A threshold of one count: a dark ion reads bright unless it counts nothing, 1 − e^{−μ_d}; a bright
    /// one reads dark only when it counts nothing, e^{−μ_b}.
    @Test func oneCountThresholdIsTheZeroCountProbability() {
        let r = ThresholdReadout(ionRate: .hertz(20_000), backgroundRate: .hertz(1_000), window: .microseconds(200), threshold: 1)
        #expect(abs(r.darkMean - 0.2) < 1e-12)
        #expect(abs(r.brightMean - 4.2) < 1e-12)
        #expect(abs(r.darkReadBright.value - (1 - exp(-0.2))) < 1e-12)
        #expect(abs(r.brightReadDark.value - exp(-4.2)) < 1e-12)
    }

    /// Threshold zero reads every ion bright; no background and any threshold ≥ 1 never reads a dark ion bright.
    @Test func limits() {
        let always = ThresholdReadout(ionRate: .hertz(1e4), backgroundRate: .hertz(1e3), window: .milliseconds(1), threshold: 0)
        #expect(always.darkReadBright.value == 1 && always.brightReadDark.value == 0)
        let dark = ThresholdReadout(ionRate: .hertz(1e4), backgroundRate: .hertz(0), window: .milliseconds(1), threshold: 3)
        #expect(dark.darkReadBright.value == 0)
        // Large means do not overflow: μ_b = 5000, k = 4000 is ~14σ below the mean.
        let big = ThresholdReadout(ionRate: .hertz(5e6), backgroundRate: .hertz(0), window: .milliseconds(1), threshold: 4000)
        #expect(big.brightReadDark.value < 1e-30)
    }

    /// Both error probabilities against 400 000 counts drawn for each state, within 5σ of the binomial error.
    @Test func agreesWithCountsDrawnShotByShot() {
        let r = ThresholdReadout(ionRate: .hertz(50_000), backgroundRate: .hertz(2_000), window: .microseconds(300), threshold: 4)
        var rng = SeededGenerator(seed: 7)
        func knuth(_ mu: Double) -> Int {
            let limit = exp(-mu)
            var n = 0, p = rng.nextUnit()
            while p > limit { n += 1; p *= rng.nextUnit() }
            return n
        }
        let shots = 400_000
        var darkBright = 0, brightDark = 0
        for _ in 0..<shots {
            if knuth(r.darkMean) >= r.threshold { darkBright += 1 }
            if knuth(r.brightMean) < r.threshold { brightDark += 1 }
        }
        for (count, p) in [(darkBright, r.darkReadBright.value), (brightDark, r.brightReadDark.value)] {
            let sigma = (p * (1 - p) / Double(shots)).squareRoot()
            #expect(abs(Double(count) / Double(shots) - p) < 5 * sigma + 1e-6, "drawn \(count)/\(shots), summed \(p)")
        }
        #expect(abs(r.fidelity.value - (1 - (r.darkReadBright.value + r.brightReadDark.value) / 2)) < 1e-15)
    }
}
