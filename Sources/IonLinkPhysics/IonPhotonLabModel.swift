import Foundation
import IonLink

/// What an ion–photon lab (`link.kind: ion_photon`) predicts: node A's photon chain to the hub's polarization
/// analysis, the attempt's timing with its modes, and the exact model of its heralds (``IonPhotonModel``).
public struct IonPhotonLabModel: Sendable {
    public let config: LabConfig
    public let link: IonPhotonLinkConfig
    public let species: Species
    /// The photon's path from the ion to a click.
    public let chain: EfficiencyChain
    public let conversion: FrequencyConversion
    /// The attempt: overhead and the modes' emissions, then the photon's way to the hub and the herald's way back.
    public let attemptTiming: AttemptTiming
    /// Conversion noise clicks per second at each of the two detectors.
    public let noiseClickRatePerDetector: Frequency
    public let model: IonPhotonModel

    /// - Throws: ``ConfigError`` for a lab that is not an ion–photon link, an unknown species, or a photon chain that
    ///   is not physical (a pump that does not conserve energy, an output the detectors were not made for).
    public init(config: LabConfig) throws(ConfigError) {
        guard let link = config.link.ionPhoton, let node = config.nodes.first else {
            throw .outOfRange(path: "link.kind", value: "ion_ion", allowed: "ion_photon for an ion–photon model", line: 1)
        }
        self.config = config
        self.link = link
        species = try LabModel.species(node)
        let hub = config.hub
        let optics = try LabModel.optics(node, species, hub: hub)
        let hubOptics = HubOptics(encoding: .polarization, detector: hub.detector.spec,
                                  window: DetectionWindow(start: hub.windowStart, length: hub.windowLength),
                                  timeBinSeparation: hub.timeBinSeparation)
        do { chain = try optics.chain(hub: hubOptics) } catch {
            throw .outOfRange(path: "nodes.A", value: "\(error)", allowed: "a physical efficiency chain", line: node.speciesLine)
        }
        conversion = optics.conversion

        // The photon reaches the hub L·n_g/c after its mode; the herald returns over the same length of fiber, or at
        // once over a local cable (AttemptTiming: 9.8 µs per km for a round trip).
        let oneWay = LabModel.fiberDelay(node.fiberLength)
        let wait = link.heraldReturn == .fiber ? oneWay * 2 : oneWay
        attemptTiming = AttemptTiming(emission: link.attemptOverhead + link.modeSpacing * link.modes, detection: config.timing.detect,
                                      heraldRoundTrip: wait)

        // Noise enters the fiber at R_n and reaches either detector with the fiber's transmission and η_det; with the
        // dark counts it is Poisson in the window: p_d = 1 − exp(−(R_dc + R_n·T·η/2)·t_w).
        let noise = conversion.noiseClickRate(through: chain) / 2
        noiseClickRatePerDetector = .hertz(noise)
        let dark = hub.detector.spec.backgroundClickProbability(noiseRate: noise, window: hub.windowLength)
        model = IonPhotonModel(photonPerMode: chain.total, darkPerDetector: Probability(unchecked: dark),
                               sourceFidelity: link.sourceFidelity, depolarization: conversion.depolarization, modes: link.modes)
    }

    public var attemptPeriod: Duration { attemptTiming.period }

    /// Heralds per second of attempting: P/T.
    public var heraldRateWhileAttempting: Double { model.heraldProbability / attemptPeriod.inSeconds }

    /// The fidelity tomography should measure: the state's, seen through the ion's readout (the photon's click is its
    /// own readout): ¼ + (2f − 1)(F − ¼) (``ReadoutBias`` with a perfect second readout).
    public var expectedVerifiedFidelity: Double {
        ReadoutBias.expectedVerifiedFidelity(model.fidelity, readoutA: config.nodes[0].trap.readoutFidelity, readoutB: .one)
    }

    /// The fiber's transmissivity, the channel of the repeaterless bound.
    public var channelTransmissivity: Double { chain.fiberTransmission.value }
}
