import Foundation
import Testing
import IonLink
@testable import IonLinkPhysics

/// Frequency conversion against independent computations: photon energies for energy conservation, the
/// sin² law's limits, noise carried through two stages, and the depolarized Bell state's Werner form.
@Suite struct FrequencyConversionTests {
    func stage(out: Double = 1550, pump: Double = 1902.9, power: Double = 800, peak: Double = 800, eta: Double = 0.57,
               noise: Double = 0.075, fidelity: Double = 1) -> ConversionStageConfig {
        ConversionStageConfig(outputWavelength: .nanometers(out), pumpWavelength: .nanometers(pump), pumpPower: .milliwatts(power),
                              maxPumpPower: .milliwatts(1000), peakEfficiency: Probability(unchecked: eta), peakPumpPower: .milliwatts(peak),
                              couplingIn: Probability(unchecked: 0.8), couplingOut: Probability(unchecked: 0.85),
                              filterTransmission: Probability(unchecked: 0.78), noisePerPumpMilliwatt: noise,
                              polarizationFidelity: Probability(unchecked: fidelity))
    }

    /// E = hc/λ in electronvolts, with CODATA 2018's exact h, c and e.
    func electronvolts(nm: Double) -> Double { 6.62607015e-34 * 299_792_458 / (nm * 1e-9) / 1.602176634e-19 }

    @Test func energyIsConservedPhotonByPhoton() throws {
        // 854.209 nm in, 1550 nm out: the pump carries the difference, E_p = E_in − E_out.
        let pumpEnergy = electronvolts(nm: 854.209) - electronvolts(nm: 1550)
        let pumpNm = 6.62607015e-34 * 299_792_458 / (pumpEnergy * 1.602176634e-19) * 1e9
        let s = ConversionStage(config: stage(pump: pumpNm), input: .nanometers(854.209))
        #expect(s.conservesEnergy)
        let implied = try #require(s.impliedOutput)
        #expect(abs(implied.si * 1e9 - 1550) < 1e-6)
        // Up-conversion (sum frequency): 1550 nm + a 1902.9 nm pump → 854 nm.
        let up = ConversionStage(config: stage(out: 854.209, pump: pumpNm), input: .nanometers(1550))
        #expect(up.conservesEnergy)
        // A pump 10 nm off gives an output several nm away: refused; and no conversion at all is no stage.
        #expect(!ConversionStage(config: stage(pump: pumpNm + 10), input: .nanometers(854.209)).conservesEnergy)
        #expect(!ConversionStage(config: stage(out: 854.209), input: .nanometers(854.209)).conservesEnergy)
    }

    @Test func efficiencyFollowsTheSineSquaredLawOfItsPump() {
        let peak = Probability(unchecked: 0.6)
        func eta(_ p: Double) -> Double { ConversionStage.efficiency(peak: peak, peakPump: .milliwatts(400), pump: .milliwatts(p)).value }
        #expect(abs(eta(400) - 0.6) < 1e-15)
        #expect(eta(0) == 0)
        // Low pump: linear, η ≈ η_max·(π/2)²·P/P_max.
        #expect(abs(eta(0.04) / (0.6 * pow(Double.pi / 2, 2) * 1e-4) - 1) < 1e-4)
        // Back-conversion: at 4·P_max the photon has been converted and converted back.
        #expect(eta(1600) < 1e-30)
        #expect(eta(300) < eta(400) && eta(500) < eta(400))
    }

    @Test func twoStagesMultiplyTransmissionAndCarryTheFirstStagesNoise() {
        let first = stage(out: 780, pump: 1342.3, power: 300, peak: 400, eta: 0.5, noise: 0.1, fidelity: 0.99)
        let second = stage(out: 1310, pump: 1928, power: 600, peak: 600, eta: 0.4, noise: 0.02, fidelity: 0.97)
        let c = FrequencyConversion(input: .nanometers(493.545), stages: [first, second])
        let t1 = 0.8 * 0.5 * pow(sin(Double.pi / 2 * (300.0 / 400).squareRoot()), 2) * 0.85 * 0.78
        let t2 = 0.8 * 0.4 * 0.85 * 0.78
        #expect(abs(c.transmission.value - t1 * t2) < 1e-15)
        #expect(abs(c.noiseRate.hertz - (0.1 * 300 * t2 + 0.02 * 600)) < 1e-12)
        #expect(c.outputWavelength == .nanometers(1310))
        // Depolarizing channels compose by their shrink factors: 1 − p = Π(1 − 4(1 − F_i)/3).
        let shrink = (1 - 4 * 0.01 / 3) * (1 - 4 * 0.03 / 3)
        #expect(abs(c.depolarization.value - (1 - shrink)) < 1e-15)
        #expect(FrequencyConversion.none(at: .nanometers(493.545)).transmission == .one)
    }

    @Test(arguments: [(0.0, 0.0), (0.1, 0.0), (0.04, 0.2), (1.0, 1.0)])
    func depolarizedPhotonsLeaveAWernerState(pA: Double, pB: Double) {
        func node(_ p: Double) -> NodeEmission {
            NodeEmission(excitation: .one, doubleExcitation: .zero, perPhoton: Probability(unchecked: 0.05),
                         depolarization: Probability(unchecked: p))
        }
        let ideal = HeraldModel(nodeA: node(0), nodeB: node(0), visibility: .one, darkClickPerSlot: .zero)
        let noisy = HeraldModel(nodeA: node(pA), nodeB: node(pB), visibility: .one, darkClickPerSlot: .zero)
        // Local depolarizing of a Bell state leaves λ|Bell⟩⟨Bell| + (1−λ)I/4 with λ = (1−p_A)(1−p_B).
        let lambda = (1 - pA) * (1 - pB)
        #expect(abs(noisy.meanFidelity - (lambda + (1 - lambda) / 4)) < 1e-12)
        for i in 0..<4 {
            #expect(abs(noisy.patternProbabilities[i] - ideal.patternProbabilities[i]) < 1e-18)
            #expect(abs(noisy.state(for: i).correlator(.z) - lambda * ideal.state(for: i).correlator(.z)) < 1e-12)
        }
    }

    @Test func converterNoiseAloneHeraldsAsDarkCountsDo() throws {
        // No photon from either ion: every herald is two noise or dark clicks in a pattern's two slots.
        let conv = FrequencyConversion(input: .nanometers(854.209), stages: [stage(power: 800, noise: 0.5)])
        func optics() -> NodeOptics {
            NodeOptics(species: .ca40, excitation: .zero, doubleExcitation: .zero, numericalAperture: 0.5, dipole: .sigma,
                       fiberCoupling: .one, opticsTransmission: .one, fiberLength: .meters(10_000), fiberAttenuation: .dBPerKm(0.2),
                       conversion: conv)
        }
        let det = DetectorSpec(kind: .snspd, efficiency: Probability(unchecked: 0.8), darkCountRate: .hertz(20), deadTime: .zero,
                               jitterSigma: .zero, afterpulseProbability: .zero, afterpulseDelay: .zero)
        let hub = HubOptics(encoding: .polarization, detector: det, window: DetectionWindow(start: .zero, length: .nanoseconds(500)),
                            timeBinSeparation: .nanoseconds(100))
        let b = try LinkBudget(nodeA: optics(), nodeB: optics(), hub: hub, mismatch: ModeMismatch(), attemptPeriod: .microseconds(100))
        // Each converter sends 400 photons/s into 10 km at 0.2 dB/km (T = 10^-0.2); 0.8 detected, spread over four detectors.
        let perDetector = 2 * 400 * pow(10, -0.2) * 0.8 / 4
        #expect(abs(b.noiseClickRatePerDetector.hertz - perDetector) < 1e-9)
        // Dark and noise clicks are independent Poisson processes: silent with the product of their silences.
        let p = 1 - exp(-20 * 500e-9) * exp(-perDetector * 500e-9)
        #expect(abs(b.darkClickPerSlot.value - p) < 1e-15)
        let pairs = 4 * p * p * (1 - p) * (1 - p)
        #expect(abs(b.model.heraldProbability - pairs) < 1e-9 * pairs)
        #expect(abs(b.model.meanFidelity - 0.25) < 1e-12)
    }
}

/// Phase matching against the crystal's temperature: sinc² with its half-width found by bisection here.
@Suite struct PhaseMatchingTests {
    @Test func efficiencyHalvesAtHalfTheAcceptanceFromPhaseMatching() throws {
        // The root of sin²x/x² = ½ in (1, 2), by bisection.
        var lo = 1.0, hi = 2.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if pow(sin(mid) / mid, 2) > 0.5 { lo = mid } else { hi = mid }
        }
        #expect(abs(ConversionStage.sincSquaredHalfWidth - lo) < 1e-12)
        let oven = CrystalOvenConfig(phaseMatching: .celsius(84), acceptanceFWHM: 1.5, setpoint: .celsius(84), maxSetpoint: .celsius(120))
        #expect(ConversionStage.phaseMatching(at: .celsius(84), oven: oven) == 1)
        #expect(abs(ConversionStage.phaseMatching(at: .celsius(84.75), oven: oven) - 0.5) < 1e-12)
        #expect(abs(ConversionStage.phaseMatching(at: .celsius(83.25), oven: oven) - 0.5) < 1e-12)
        // The first zero of sinc² (x = π) at T − T_pm = π·FWHM/(2·1.39156).
        let zero = 84 + Double.pi * 1.5 / (2 * ConversionStage.sincSquaredHalfWidth)
        #expect(ConversionStage.phaseMatching(at: .celsius(zero), oven: oven) < 1e-25)
    }

    @Test func aDetunedOvenLowersTheStagesTransmission() {
        var config = ConversionStageConfig(outputWavelength: .nanometers(1550), pumpWavelength: .nanometers(1902.9), pumpPower: .milliwatts(800),
                                           maxPumpPower: .milliwatts(1000), peakEfficiency: Probability(unchecked: 0.6),
                                           peakPumpPower: .milliwatts(800), couplingIn: .one, couplingOut: .one, filterTransmission: .one,
                                           noisePerPumpMilliwatt: 0, polarizationFidelity: .one)
        let tuned = ConversionStage(config: config, input: .nanometers(854.209)).transmission.value
        config.oven = CrystalOvenConfig(phaseMatching: .celsius(84), acceptanceFWHM: 2, setpoint: .celsius(85), maxSetpoint: .celsius(120))
        let detuned = ConversionStage(config: config, input: .nanometers(854.209)).transmission.value
        #expect(abs(tuned - 0.6) < 1e-12)
        #expect(abs(detuned - 0.3) < 1e-12)
    }
}

/// The repeaterless bound against its limits and the 101 km spool's transmissivity.
@Suite struct RepeaterlessBoundTests {
    @Test func capacityOfThePureLossChannel() {
        #expect(RepeaterlessBound.capacity(transmissivity: 0) == 0)
        #expect(RepeaterlessBound.capacity(transmissivity: 1) == .infinity)
        #expect(abs(RepeaterlessBound.capacity(transmissivity: 0.5) - 1) < 1e-15)
        // High loss: −log₂(1 − η) → η/ln 2 (about 1.44 η).
        #expect(abs(RepeaterlessBound.capacity(transmissivity: 1e-9) / (1e-9 / log(2)) - 1) < 1e-8)
        // 101 km of SMF-28 measured at T = 0.0136 (Krutyanskiy et al., arXiv:2308.08891): 0.0198 ebits per use.
        #expect(abs(RepeaterlessBound.capacity(transmissivity: 0.0136) - 0.019756) < 1e-6)
        let b = RepeaterlessBound(attemptRate: 1000, channel: 0.5, wholePath: 0.25)
        #expect(abs(b.channelRate - 1000) < 1e-9 && abs(b.wholePathRate - 1000 * log2(4.0 / 3)) < 1e-9)
    }
}
