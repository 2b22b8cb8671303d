import Foundation
import IonLink

/// What a lab's configuration predicts, whatever serves its roles (the simulation, instruments or other
/// nodes): the attempt's pulse sequence and period, the link budget (success probability and fidelity),
/// each node's ion loss per attempt, and where each click slot's window lies on the tagger.
///
/// The simulation is built on it, and a run's summary, live board and record quote it beside what the
/// run measured.
public struct LabModel: Sendable {
    public let config: LabConfig
    /// One attempt: pump, excite (twice for time-bin, the late pulse a bin separation after the early
    /// one's end), and the detection window's wait including the herald's round trip to the farther node.
    public let attemptSequence: PulseSequence
    /// The attempt's time split into emission, detection and the herald's round trip, and what bounds the rate.
    public let attemptTiming: AttemptTiming
    public let budget: LinkBudget
    /// Each node's probability of losing its ion per attempt, background collisions included.
    public let lossProbabilityPerAttempt: [Probability]
    /// Where and when each click slot shows on the tagger.
    public let slotLayout: SlotLayout
    /// Each node's ion species.
    public let species: [Species]

    /// Group index of silica fiber in the visible (≈1.47; Malitson, JOSA 55, 1205 (1965) dispersion),
    /// used for the time a photon and the herald signal spend in fiber.
    public static let fiberGroupIndex = 1.468
    static let speedOfLight = 299_792_458.0

    /// The time light (a photon, or the herald's signal) takes through `length` of fiber: L·n_g/c.
    public static func fiberDelay(_ length: Length) -> Duration {
        .secondsDouble(length.meters * fiberGroupIndex / speedOfLight)
    }

    /// - Throws: ``ConfigError`` for an unknown species, an efficiency chain that is not physical, or an ion–photon lab
    ///   (``IonPhotonLabModel`` models those).
    public init(config: LabConfig) throws(ConfigError) {
        guard config.link.ionPhoton == nil, config.nodes.count == 2 else {
            throw .outOfRange(path: "link.kind", value: "ion_photon", allowed: "ion_ion here: an ion–photon lab runs in simulation "
                              + "with `ionlink run` and `ionlink sweep`", line: 1)
        }
        self.config = config
        let a = config.nodes[0], b = config.nodes[1]
        species = [try Self.species(a), try Self.species(b)]
        let t = config.timing, hub = config.hub

        let longest = max(Self.fiberDelay(a.fiberLength), Self.fiberDelay(b.fiberLength))
        var steps = [PulseStep(.pump, t.pump), PulseStep(.excite, t.excite)]
        if config.encoding == .timeBin { steps += [PulseStep(.wait, hub.timeBinSeparation), PulseStep(.excite, t.excite)] }
        let emission = steps.reduce(Duration.zero) { $0 + $1.duration }
        steps.append(PulseStep(.detect, t.detect + longest * 2))
        attemptSequence = PulseSequence(steps)
        attemptTiming = AttemptTiming(emission: emission, detection: t.detect, heraldRoundTrip: longest * 2)

        let hubOptics = HubOptics(encoding: config.encoding, detector: hub.detector.spec,
                                  window: DetectionWindow(start: hub.windowStart, length: hub.windowLength),
                                  timeBinSeparation: hub.timeBinSeparation)
        let mismatch = ModeMismatch(arrivalOffset: b.photonArrivalOffset - a.photonArrivalOffset,
                                    frequencyOffset: b.frequencyOffset - a.frequencyOffset,
                                    polarizationAngle: b.polarizationError - a.polarizationError)
        do {
            budget = try LinkBudget(nodeA: try Self.optics(a, species[0], hub: hub), nodeB: try Self.optics(b, species[1], hub: hub), hub: hubOptics,
                                    mismatch: mismatch, attemptPeriod: attemptSequence.period)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw .outOfRange(path: "nodes", value: "\(error)", allowed: "a physical efficiency chain", line: 1)
        }

        // Loss per attempt: the per-attempt probability plus background collisions over the attempt's
        // share of a cooling cycle, 1 − exp(−λ·T_cycle/N) (Poisson).
        let n = Int64(t.effectiveAttemptsPerCool)
        let share = (t.cool.inSeconds + Double(n) * attemptSequence.period.inSeconds) / Double(n)
        lossProbabilityPerAttempt = [a, b].map { node in
            let collision = -expm1(-node.backgroundLossRate.hertz * share)
            return Probability(unchecked: min(1, node.lossProbabilityPerAttempt.value + collision))
        }

        // The photon arrives after the pump and excitation pulses and the longer fiber.
        let arrival = t.pump + t.excite + longest
        slotLayout = config.encoding == .polarization
            ? .polarization(channels: hub.channels, photonDelay: arrival, windowStart: hub.windowStart, windowLength: hub.windowLength)
            : .timeBin(detectorC: hub.channels[0], detectorD: hub.channels[2], binSeparation: hub.timeBinSeparation,
                       photonDelay: arrival, windowStart: hub.windowStart, windowLength: hub.windowLength)
    }

    /// Lab time of one attempt.
    public var attemptPeriod: Duration { attemptSequence.period }

    /// The fidelity the run's verifications should measure: the exact model's, seen through both traps'
    /// readout error (``ReadoutBias``).
    public var expectedVerifiedFidelity: Double {
        ReadoutBias.expectedVerifiedFidelity(budget.model.meanFidelity, readoutA: readoutFidelity(node: 0), readoutB: readoutFidelity(node: 1))
    }

    /// A node's readout fidelity: its thresholded count's (``ThresholdReadout``, from the trap's count
    /// rates, readout duration and threshold) when instruments read it out (`<node>.readout` bound), else
    /// the trap's configured `readout_fidelity`.
    public func readoutFidelity(node: Int) -> Probability {
        let trap = config.nodes[node].trap
        guard let readout = trap.thresholdReadout,
              config.devices.contains(where: { $0.role.part == .readout && $0.role.nodeIndex == node }) else { return trap.readoutFidelity }
        return ThresholdReadout(ionRate: trap.ionCountRate, backgroundRate: trap.backgroundCountRate, window: trap.readoutDuration,
                                threshold: readout.threshold).fidelity
    }

    static func species(_ n: NodeConfig) throws(ConfigError) -> Species {
        guard let s = Species.presets[n.species] else {
            throw .outOfRange(path: "nodes.\(n.name).species", value: n.species,
                              allowed: Species.presets.keys.sorted().joined(separator: " | "), line: 1)
        }
        return s
    }

    /// The node's optics, its conversion checked: each stage's pump must conserve energy, and the photon that reaches
    /// the hub must be one its detectors were made for.
    static func optics(_ n: NodeConfig, _ s: Species, hub: HubConfig) throws(ConfigError) -> NodeOptics {
        let conversion = FrequencyConversion(input: s.photonWavelength, stages: n.conversion)
        for (i, stage) in conversion.stages.enumerated() where !stage.conservesEnergy {
            let c = stage.config
            let implied = stage.impliedOutput.map { "gives \(nm($0)) nm" } ?? "gives no photon"
            throw .outOfRange(path: "nodes.\(n.name).conversion.stages[\(i)].pump_wavelength_nm", value: "\(nm(c.pumpWavelength))",
                              allowed: "a pump that conserves energy: \(nm(stage.inputWavelength)) nm in, \(nm(c.outputWavelength)) nm out "
                                  + "(this pump \(implied))", line: c.line)
        }
        let out = conversion.outputWavelength, band = hub.detector.wavelengths
        if !band.contains(out) {
            let path = conversion.stages.isEmpty ? "nodes.\(n.name).species"
                : "nodes.\(n.name).conversion.stages[\(conversion.stages.count - 1)].output_wavelength_nm"
            throw .outOfRange(path: path, value: "\(nm(out)) nm", allowed: "the band hub.detector was made for, "
                              + "\(nm(band.lowerBound))...\(nm(band.upperBound)) nm (min_wavelength_nm, max_wavelength_nm)",
                              line: conversion.stages.last?.config.line ?? n.speciesLine)
        }
        return NodeOptics(species: s, excitation: n.excitationProbability, doubleExcitation: n.doubleExcitationProbability,
                          numericalAperture: n.objectiveNA, dipole: n.dipole, fiberCoupling: n.fiberCoupling,
                          opticsTransmission: n.opticsTransmission, fiberLength: n.fiberLength, fiberAttenuation: n.fiberAttenuation,
                          conversion: conversion, sourceEfficiency: n.photonSourceEfficiency)
    }

    private static func nm(_ w: Wavelength) -> String { String(format: "%.1f", w.si * 1e9) }
}
