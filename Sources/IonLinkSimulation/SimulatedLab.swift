import Foundation
import IonLink
import IonLinkPhysics
import Logging

/// Builds a fully simulated ``Lab`` from a ``LabConfig``: one world, one clock, one seed.
public struct SimulatedLab: Sendable {
    public let config: LabConfig
    public let world: SimulatedWorld
    public let budget: LinkBudget
    public let attemptPeriod: Duration
    public let lossProbabilityPerAttempt: [Probability]
    public let tagger: SimulatedTimeTagger
    public let lab: Lab

    /// Group index of silica fiber in the visible (≈1.47; Malitson, JOSA 55, 1205 (1965) dispersion),
    /// used for the time a photon and the herald signal spend in fiber.
    public static let fiberGroupIndex = 1.468
    static let speedOfLight = 299_792_458.0

    public init(config: LabConfig, seed: UInt64, logger: Logger) throws(ConfigError) {
        self.config = config
        let world = SimulatedWorld(seed: seed)
        self.world = world
        let a = config.nodes[0], b = config.nodes[1]
        let speciesA = try Self.species(a), speciesB = try Self.species(b)
        let t = config.timing, hub = config.hub

        // One attempt: pump, excite (twice with the bin separation for time-bin), wait for the photon,
        // and the herald's round trip to the farther node before the next attempt.
        let fiberTime = { (n: NodeConfig) in Duration.secondsDouble(n.fiberLength.meters * Self.fiberGroupIndex / Self.speedOfLight) }
        let longest = max(fiberTime(a), fiberTime(b))
        var steps = [PulseStep(.pump, t.pump), PulseStep(.excite, t.excite)]
        if config.encoding == .timeBin { steps += [PulseStep(.excite, hub.timeBinSeparation), PulseStep(.excite, t.excite)] }
        steps.append(PulseStep(.detect, t.detect + longest * 2))
        let sequence = PulseSequence(steps)
        attemptPeriod = sequence.period

        let hubOptics = HubOptics(encoding: config.encoding, detector: hub.detector.spec,
                                  window: DetectionWindow(start: hub.windowStart, length: hub.windowLength),
                                  timeBinSeparation: hub.timeBinSeparation)
        let mismatch = ModeMismatch(arrivalOffset: b.photonArrivalOffset - a.photonArrivalOffset,
                                    frequencyOffset: b.frequencyOffset - a.frequencyOffset,
                                    polarizationAngle: b.polarizationError - a.polarizationError)
        do {
            budget = try LinkBudget(nodeA: Self.optics(a, speciesA), nodeB: Self.optics(b, speciesB), hub: hubOptics,
                                    mismatch: mismatch, attemptPeriod: attemptPeriod)
        } catch {
            throw .outOfRange(path: "nodes", value: "\(error)", allowed: "a physical efficiency chain", line: 1)
        }

        // Loss per attempt: the per-attempt probability plus background collisions over the attempt's
        // share of a cooling cycle, 1 − exp(−λ·T_cycle/N) (Poisson).
        let n = Int64(t.effectiveAttemptsPerCool)
        let share = (t.cool.inSeconds + Double(n) * attemptPeriod.inSeconds) / Double(n)
        lossProbabilityPerAttempt = [a, b].map { node in
            let collision = -expm1(-node.backgroundLossRate.hertz * share)
            return Probability(unchecked: min(1, node.lossProbabilityPerAttempt.value + collision))
        }

        tagger = SimulatedTimeTagger(name: "hub.tagger", channels: Array(Set(hub.channels + [hub.syncChannel])).sorted(),
                                     syncChannel: hub.syncChannel, resolution: hub.taggerResolution)
        let arrival = t.pump + t.excite + longest
        let layout: SlotLayout = config.encoding == .polarization
            ? .polarization(channels: hub.channels, photonDelay: arrival, windowStart: hub.windowStart,
                            windowLength: hub.windowLength)
            : .timeBin(detectorC: hub.channels[0], detectorD: hub.channels[2], binSeparation: hub.timeBinSeparation,
                       photonDelay: arrival, windowStart: hub.windowStart, windowLength: hub.windowLength)
        let loop = SimulatedAttemptLoop(budget: budget, attemptPeriod: attemptPeriod, lossProbability: lossProbabilityPerAttempt,
                                        world: world, tagger: tagger, layout: layout,
                                        lifetime: speciesA.excitedLifetime, jitter: hub.detector.jitterSigma)

        var nodes: [LabNode] = []
        for (i, node) in [a, b].enumerated() {
            func laser(_ role: LaserRole, _ c: LaserConfig) -> SimulatedLaser {
                SimulatedLaser(name: "node\(node.name).\(role.rawValue)", world: world, node: i, role: role,
                               wavelength: c.wavelength, setpoint: c.power, limit: SetpointLimit(.zero, c.maxPower), logger: logger)
            }
            let tc = node.trap
            let trap = SimulatedTrapController(
                name: "node\(node.name).trap", node: i, world: world, electrodeCount: tc.electrodes,
                electrodeLimit: SetpointLimit(.zero - tc.electrodeLimit, tc.electrodeLimit),
                rf: RFDrive(frequency: tc.rfFrequency, amplitude: tc.rfAmplitude), rfAmplitudeLimit: SetpointLimit(.zero, tc.maxRFAmplitude),
                imaging: TrapImaging(ionCountRate: tc.ionCountRate, backgroundRate: tc.backgroundCountRate,
                                     readoutFidelity: tc.readoutFidelity, readoutDuration: tc.readoutDuration,
                                     meanLoadTime: tc.meanLoadTime),
                logger: logger)
            nodes.append(LabNode(name: node.name, cooling: laser(.cooling, node.cooling),
                                 excitation: laser(.excitation, node.excitation), trap: trap))
        }
        // One detector per distinct channel, serving the slots wired to it.
        var detectors: [SimulatedPhotonDetector] = []
        for channel in Array(Set(hub.channels)).sorted() {
            let slots = hub.channels.indices.filter { hub.channels[$0] == channel }
            let d = hub.detector
            detectors.append(SimulatedPhotonDetector(
                name: "hub.detector\(channel)", channel: channel, slots: slots, world: world, spec: d.spec,
                bias: d.bias, switchingCurrent: d.switchingCurrent, biasLimit: SetpointLimit(.zero, d.maxBias), logger: logger))
        }
        lab = Lab(nodes: nodes, detectors: detectors, tagger: tagger, pulses: SimulatedPulseGenerator(name: "hub.pulses"),
                  attemptLoop: loop, clock: world.clock, attemptSequence: sequence, slotLayout: layout)
    }

    /// The fidelity the run's verifications should measure: the exact model's, seen through both traps'
    /// readout error (``ReadoutBias``).
    public var expectedVerifiedFidelity: Double {
        ReadoutBias.expectedVerifiedFidelity(budget.model.meanFidelity, readoutA: config.nodes[0].trap.readoutFidelity,
                                             readoutB: config.nodes[1].trap.readoutFidelity)
    }

    private static func species(_ n: NodeConfig) throws(ConfigError) -> Species {
        guard let s = Species.presets[n.species] else {
            throw .outOfRange(path: "nodes.\(n.name).species", value: n.species,
                              allowed: Species.presets.keys.sorted().joined(separator: " | "), line: 1)
        }
        return s
    }

    private static func optics(_ n: NodeConfig, _ s: Species) -> NodeOptics {
        NodeOptics(species: s, excitation: n.excitationProbability, doubleExcitation: n.doubleExcitationProbability,
                   numericalAperture: n.objectiveNA, dipole: n.dipole, fiberCoupling: n.fiberCoupling,
                   opticsTransmission: n.opticsTransmission, fiberLength: n.fiberLength, fiberAttenuation: n.fiberAttenuation)
    }
}
