import Foundation
import IonLink
import IonLinkPhysics
import Logging

/// Builds a fully simulated ``Lab`` from a ``LabConfig``: one world, one clock, one seed.
public struct SimulatedLab: Sendable {
    /// What the configuration predicts; the simulation follows it.
    public let model: LabModel
    public let world: SimulatedWorld
    public let tagger: SimulatedTimeTagger
    public let lab: Lab

    public var config: LabConfig { model.config }
    public var budget: LinkBudget { model.budget }
    public var attemptPeriod: Duration { model.attemptPeriod }
    public var lossProbabilityPerAttempt: [Probability] { model.lossProbabilityPerAttempt }
    /// The fidelity the run's verifications should measure (``LabModel/expectedVerifiedFidelity``).
    public var expectedVerifiedFidelity: Double { model.expectedVerifiedFidelity }

    public init(config: LabConfig, seed: UInt64, logger: Logger) throws(ConfigError) {
        let model = try LabModel(config: config)
        self.model = model
        let world = SimulatedWorld(seed: seed)
        self.world = world
        let a = config.nodes[0], b = config.nodes[1]
        let hub = config.hub, budget = model.budget, layout = model.slotLayout, sequence = model.attemptSequence

        tagger = SimulatedTimeTagger(name: "hub.tagger", channels: Array(Set(hub.channels + [hub.syncChannel])).sorted(),
                                     syncChannel: hub.syncChannel, resolution: hub.taggerResolution)
        let loop = SimulatedAttemptLoop(budget: budget, attemptPeriod: model.attemptPeriod, lossProbability: model.lossProbabilityPerAttempt,
                                        world: world, tagger: tagger, layout: layout,
                                        lifetime: model.species[0].excitedLifetime, jitter: hub.detector.spec.jitterSigma)

        var nodes: [LabNode] = []
        for (i, node) in [a, b].enumerated() {
            func laser(_ role: LaserRole, _ c: LaserConfig, emitting: Bool = false) -> SimulatedLaser {
                SimulatedLaser(name: "node\(node.name).\(role.rawValue)", world: world, node: i, role: role,
                               wavelength: c.wavelength, setpoint: c.power, limit: SetpointLimit(.zero, c.maxPower), emitting: emitting,
                               logger: logger)
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
            // The converter's pump runs whenever the lab does.
            let pump = node.conversion.first.map { laser(.converterPump, $0.pumpLaser, emitting: true) }
            let oven = node.conversion.first?.oven.map {
                SimulatedTemperatureController(name: "node\(node.name).converter_oven", setpoint: $0.setpoint, limit: $0.setpointLimit,
                                               clock: world.clock, logger: logger)
            }
            nodes.append(LabNode(name: node.name, cooling: laser(.cooling, node.cooling),
                                 excitation: laser(.excitation, node.excitation), trap: trap, converterPump: pump, converterOven: oven))
        }
        // One detector per distinct channel, serving the slots wired to it.
        var detectors: [SimulatedPhotonDetector] = []
        for channel in hub.detectorChannels {
            let slots = hub.channels.indices.filter { hub.channels[$0] == channel }
            let d = hub.detector
            detectors.append(SimulatedPhotonDetector(
                name: "hub.detector\(channel)", channel: channel, slots: slots, world: world, spec: d.spec,
                bias: d.bias, switchingCurrent: d.switchingCurrent, biasLimit: SetpointLimit(.zero, d.maxBias), logger: logger))
        }
        lab = Lab(nodes: nodes, detectors: detectors, tagger: tagger, pulses: SimulatedPulseGenerator(name: "hub.pulses"),
                  attemptLoop: loop, clock: world.clock, attemptSequence: sequence, slotLayout: layout)
    }
}
