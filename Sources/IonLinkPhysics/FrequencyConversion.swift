import Foundation
import IonLink

/// One configured stage of quantum frequency conversion, with its physics evaluated at the pump setpoint
/// (docs/physics.md, "Frequency conversion").
///
/// - Internal efficiency against pump power: η(P) = η_max·sin²(π/2·√(P/P_max)), the coupled-mode solution of
///   difference-frequency generation with an undepleted pump (Kumar, Opt. Lett. 15, 1476 (1990); Albota & Wong,
///   Opt. Lett. 29, 1449 (2004)): it rises linearly at low pump, peaks at P_max and falls again past it.
/// - Phase matching against crystal temperature: the efficiency is multiplied by sinc²(Δk·L/2), with Δk linear in
///   the temperature near phase matching (Boyd, Nonlinear Optics, 3rd ed., §2.2–2.3); sinc² falls to ½ at
///   Δk·L/2 = 1.39156, so Δk·L/2 = 2·1.39156·(T − T_pm)/FWHM for an acceptance of full width FWHM.
/// - Energy conservation: 1/λ_out = 1/λ_in − 1/λ_pump for difference-frequency generation (output longer than
///   input), 1/λ_out = 1/λ_in + 1/λ_pump for sum-frequency generation.
/// - Noise: spontaneous (anti-Stokes) Raman scattering of the pump into the signal band grows linearly with the
///   pump power (Pelc et al., Opt. Express 19, 21445 (2011)), so the stage adds n·P photons per second at its output.
/// - Polarization: a stage of process (entanglement) fidelity F acts on the photon's polarization qubit as the
///   depolarizing channel ρ → (1−p)ρ + p·I/2 with F = 1 − 3p/4 (Nielsen & Chuang §9.3, entanglement fidelity of
///   the depolarizing channel), so p = 4(1−F)/3.
public struct ConversionStage: Sendable, Hashable {
    public let config: ConversionStageConfig
    /// The photon's wavelength before this stage.
    public let inputWavelength: Wavelength
    /// η(P) at the configured pump power.
    public let deviceEfficiency: Probability
    /// Coupling in × η(P) × coupling out × filter transmission.
    public let transmission: Probability
    /// Noise photons per second at the stage's output.
    public let noiseRate: Frequency
    /// Probability p that the stage randomizes the photon's polarization.
    public let depolarization: Probability

    /// The relative mismatch of the configured output from the pump's energy conservation that is tolerated (0.1 %:
    /// about 1.5 nm at 1550 nm, several times a PPLN waveguide's acceptance bandwidth).
    public static let wavelengthTolerance = 1e-3

    /// Evaluates `config` for a photon arriving at `input`.
    public init(config: ConversionStageConfig, input: Wavelength) {
        self.config = config
        inputWavelength = input
        let matching = config.oven.map { Self.phaseMatching(at: $0.setpoint, oven: $0) } ?? 1
        deviceEfficiency = Probability(unchecked: matching
            * Self.efficiency(peak: config.peakEfficiency, peakPump: config.peakPumpPower, pump: config.pumpPower).value)
        transmission = config.couplingIn * deviceEfficiency * config.couplingOut * config.filterTransmission
        noiseRate = .hertz(config.noisePerPumpMilliwatt * config.pumpPower.milliwatts)
        depolarization = Probability(unchecked: min(1, 4 * (1 - config.polarizationFidelity.value) / 3))
    }

    /// The half-width point of sinc²: sin²x/x² = ½ at x = 1.391557 (the root of sin x = x/√2).
    public static let sincSquaredHalfWidth = 1.3915573782515103

    /// sinc²(Δk·L/2) at crystal temperature `t`: 1 at phase matching, ½ at half the acceptance width from it.
    public static func phaseMatching(at t: Temperature, oven: CrystalOvenConfig) -> Double {
        let x = 2 * sincSquaredHalfWidth * (t.kelvin - oven.phaseMatching.kelvin) / oven.acceptanceFWHM
        guard abs(x) > 1e-12 else { return 1 }
        let s = sin(x) / x
        return s * s
    }

    /// η_max·sin²(π/2·√(P/P_max)).
    public static func efficiency(peak: Probability, peakPump: Power, pump: Power) -> Probability {
        guard peakPump.si > 0, pump.si > 0 else { return .zero }
        let s = sin(Double.pi / 2 * (pump.si / peakPump.si).squareRoot())
        return Probability(unchecked: min(1, peak.value * s * s))
    }

    /// The output wavelength energy conservation gives for `input` and `pump`: difference frequency when
    /// `downconvert`, else sum frequency; nil when no photon of positive energy results.
    public static func output(input: Wavelength, pump: Wavelength, downconvert: Bool) -> Wavelength? {
        let inverse = 1 / input.si + (downconvert ? -1 : 1) / pump.si
        return inverse > 0 ? Wavelength(si: 1 / inverse) : nil
    }

    /// The output the pump gives by energy conservation (difference frequency when the configured output is longer
    /// than the input, else sum frequency), or nil when no photon of positive energy results.
    public var impliedOutput: Wavelength? {
        Self.output(input: inputWavelength, pump: config.pumpWavelength, downconvert: config.outputWavelength > inputWavelength)
    }

    /// Whether the configured output, input and pump conserve energy within ``wavelengthTolerance``.
    public var conservesEnergy: Bool {
        guard let implied = impliedOutput, config.outputWavelength != inputWavelength else { return false }
        return abs(implied.si - config.outputWavelength.si) <= Self.wavelengthTolerance * config.outputWavelength.si
    }
}

/// A node's whole conversion: its stages in the photon's order.
public struct FrequencyConversion: Sendable, Hashable {
    public let stages: [ConversionStage]
    /// The wavelength that enters the first stage (the ion's photon).
    public let inputWavelength: Wavelength

    /// - Parameter input: the ion's photon wavelength.
    public init(input: Wavelength, stages configs: [ConversionStageConfig]) {
        inputWavelength = input
        var stages: [ConversionStage] = []
        var wavelength = input
        for c in configs {
            stages.append(ConversionStage(config: c, input: wavelength))
            wavelength = c.outputWavelength
        }
        self.stages = stages
    }

    /// No conversion: the photon leaves at `wavelength`.
    public static func none(at wavelength: Wavelength) -> FrequencyConversion { FrequencyConversion(input: wavelength, stages: []) }

    /// The wavelength that enters the long fiber and reaches the detectors.
    public var outputWavelength: Wavelength { stages.last?.config.outputWavelength ?? inputWavelength }

    /// The product of the stages' transmissions (1 with no stage).
    public var transmission: Probability { stages.reduce(Probability.one) { $0 * $1.transmission } }

    /// Noise photons per second entering the long fiber: each stage's noise carried through the later stages
    /// (a later stage converts an earlier stage's in-band noise as it converts the photon).
    public var noiseRate: Frequency {
        var rate = 0.0
        for s in stages { rate = rate * s.transmission.value + s.noiseRate.hertz }
        return .hertz(rate)
    }

    /// Noise clicks per second this conversion causes at the hub: its noise carried by the node's fiber (T) and detected
    /// (η_det), before it is spread over the detectors.
    public func noiseClickRate(through chain: EfficiencyChain) -> Double {
        noiseRate.hertz * chain.fiberTransmission.value * chain.detector.value
    }

    /// Probability that the photon's polarization is randomized somewhere: 1 − Π(1 − p_i), since depolarizing
    /// channels compose by multiplying their shrink factors.
    public var depolarization: Probability {
        Probability(unchecked: 1 - stages.reduce(1.0) { $0 * (1 - $1.depolarization.value) })
    }
}
