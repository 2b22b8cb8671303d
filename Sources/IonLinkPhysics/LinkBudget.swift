import Foundation
import IonLink

/// One node's optical path, as configured.
public struct NodeOptics: Sendable, Hashable {
    public var species: Species
    public var excitation: Probability
    public var doubleExcitation: Probability
    public var numericalAperture: Double
    public var dipole: DipolePattern
    public var fiberCoupling: Efficiency
    public var opticsTransmission: Efficiency
    public var fiberLength: Length
    public var fiberAttenuation: Attenuation
    /// Frequency conversion between the optics and the long fiber (no stage: the ion's own wavelength travels).
    public var conversion: FrequencyConversion
    /// A measured source efficiency (a cavity node's), replacing branching × collection; nil: both are computed.
    public var sourceEfficiency: Probability?

    public init(species: Species, excitation: Probability, doubleExcitation: Probability, numericalAperture: Double,
                dipole: DipolePattern, fiberCoupling: Efficiency, opticsTransmission: Efficiency,
                fiberLength: Length, fiberAttenuation: Attenuation, conversion: FrequencyConversion? = nil,
                sourceEfficiency: Probability? = nil) {
        self.conversion = conversion ?? .none(at: species.photonWavelength)
        self.sourceEfficiency = sourceEfficiency
        self.species = species
        self.excitation = excitation
        self.doubleExcitation = doubleExcitation
        self.numericalAperture = numericalAperture
        self.dipole = dipole
        self.fiberCoupling = fiberCoupling
        self.opticsTransmission = opticsTransmission
        self.fiberLength = fiberLength
        self.fiberAttenuation = fiberAttenuation
    }

    /// The node's efficiency chain to a click at `hub` (``EfficiencyChain``). A measured source efficiency stands in
    /// the collection stage with branching 1.
    public func chain(hub: HubOptics) throws(UnitError) -> EfficiencyChain {
        let det = hub.detector
        var collection = Probability.one
        if let sourceEfficiency { collection = sourceEfficiency } else {
            collection = try collectionEfficiency(numericalAperture: numericalAperture, pattern: dipole)
        }
        return EfficiencyChain(
            excitation: excitation, branching: sourceEfficiency == nil ? species.branching : .one, collection: collection,
            fiberCoupling: fiberCoupling, opticsTransmission: opticsTransmission,
            fiberTransmission: try Probability(fiberAttenuation.transmission(over: fiberLength)),
            detector: det.efficiency,
            windowAcceptance: hub.window.acceptance(lifetime: species.excitedLifetime, jitterSigma: det.jitterSigma),
            conversion: conversion.transmission)
    }
}

extension DetectorSpec {
    /// Probability of a dark or noise click in one detector's window: 1 − exp(−(R_dc + R_noise)·t_w) (Poisson).
    public func backgroundClickProbability(noiseRate: Double, window: Duration) -> Double {
        -expm1(-(darkCountRate.hertz + noiseRate) * window.inSeconds)
    }
}

/// The detection hub: detectors, window and encoding.
public struct HubOptics: Sendable, Hashable {
    public var encoding: PhotonEncoding
    public var detector: DetectorSpec
    public var window: DetectionWindow
    /// Early–late separation for time-bin encoding.
    public var timeBinSeparation: Duration

    public init(encoding: PhotonEncoding, detector: DetectorSpec, window: DetectionWindow, timeBinSeparation: Duration) {
        self.encoding = encoding
        self.detector = detector
        self.window = window
        self.timeBinSeparation = timeBinSeparation
    }
}

/// Everything derived from the optics: efficiency chains, visibility and the exact herald model.
public struct LinkBudget: Sendable {
    public let chainA: EfficiencyChain
    public let chainB: EfficiencyChain
    public let visibility: Probability
    /// Dark-count probability in one slot's window: 1 − exp(−(R_dc + R_noise)·t_w) (Poisson), plus the
    /// mean-field afterpulse contribution.
    public let darkClickPerSlot: Probability
    /// Conversion noise clicks per second at each detector, R_noise: each node's converter noise carried by its
    /// fiber and detected, spread evenly over the detectors (the noise is unpolarized and uniform in time).
    public let noiseClickRatePerDetector: Frequency
    /// Fraction of attempts in which a slot is still dead from a click in an earlier attempt.
    public let deadFraction: Double
    /// Whether ψ⁺ is visible (time-bin: the detector must recover between the early and late bins).
    public let psiPlusVisible: Bool
    /// The model with both ions present.
    public let model: HeraldModel
    /// Each node's frequency conversion (no stage without one).
    public let conversionA: FrequencyConversion
    public let conversionB: FrequencyConversion
    /// Node emission parameters, to rebuild the model when an ion is lost.
    public let emissionA: NodeEmission
    public let emissionB: NodeEmission

    /// Builds the budget.
    /// - Parameters:
    ///   - attemptPeriod: time between attempts (for dead time and afterpulse carry-over).
    public init(nodeA: NodeOptics, nodeB: NodeOptics, hub: HubOptics, mismatch: ModeMismatch,
                attemptPeriod: Duration) throws(UnitError) {
        let det = hub.detector
        let a = try nodeA.chain(hub: hub)
        let b = try nodeB.chain(hub: hub)
        conversionA = nodeA.conversion
        conversionB = nodeB.conversion
        chainA = a
        chainB = b
        visibility = interferenceVisibility(lifetimeA: nodeA.species.excitedLifetime,
                                            lifetimeB: nodeB.species.excitedLifetime, mismatch: mismatch)
        let tw = hub.window.length.inSeconds
        // Noise enters each node's fiber at R_n, reaches the beam splitter with the fiber's transmission, and is
        // detected with η_det by one of the hub's detectors (four for polarization, two for time-bin) at random.
        let detectors = hub.encoding == .polarization ? 4.0 : 2.0
        let noise = [(nodeA, a), (nodeB, b)].reduce(0.0) { $0 + $1.0.conversion.noiseClickRate(through: $1.1) } / detectors
        noiseClickRatePerDetector = .hertz(noise)
        let darkPoisson = det.backgroundClickProbability(noiseRate: noise, window: hub.window.length)
        // Mean photon clicks per slot per attempt (each photon lands in one of four slots).
        let photons = a.total.value * (1 + nodeA.doubleExcitation.value) + b.total.value * (1 + nodeB.doubleExcitation.value)
        let clickPerSlot = photons / 4 + darkPoisson
        // Afterpulses with exponential delay τ_ap landing in a later attempt's window:
        // Σ_{j≥1} e^{−jT/τ}(1 − e^{−t_w/τ}) = (1 − e^{−t_w/τ})·e^{−T/τ}/(1 − e^{−T/τ}).
        let period = attemptPeriod.inSeconds
        let tauAp = det.afterpulseDelay.inSeconds
        var afterpulse = 0.0
        if tauAp > 0, period > 0 {
            let q = exp(-period / tauAp)
            afterpulse = clickPerSlot * det.afterpulseProbability.value * (-expm1(-tw / tauAp)) * q / (1 - q)
        }
        // Dead time: a click blinds the slot for ⌈t_dead/T⌉ − 1 following attempts when t_dead > T − t_w.
        let dead = det.deadTime.inSeconds
        let blindAttempts = dead > period - tw ? max(0, ceil(dead / period) - (dead > period ? 0 : 1)) : 0
        deadFraction = min(1, clickPerSlot * blindAttempts)
        let live = 1 - deadFraction
        darkClickPerSlot = Probability(unchecked: min(1, (darkPoisson + afterpulse) * live))
        psiPlusVisible = hub.encoding == .polarization
            || det.deadTime < hub.timeBinSeparation - hub.window.length
        func emission(_ n: NodeOptics, _ c: EfficiencyChain) -> NodeEmission {
            NodeEmission(excitation: n.excitation, doubleExcitation: n.doubleExcitation,
                         perPhoton: Probability(unchecked: c.perPhoton.value * live),
                         depolarization: hub.encoding == .polarization ? n.conversion.depolarization : .zero)
        }
        emissionA = emission(nodeA, a)
        emissionB = emission(nodeB, b)
        model = HeraldModel(nodeA: emissionA, nodeB: emissionB, visibility: visibility,
                            darkClickPerSlot: darkClickPerSlot, psiPlusVisible: psiPlusVisible)
    }

    /// The models when neither, A only, B only and both nodes emit
    /// (index = (A emits ? 1 : 0) + (B emits ? 2 : 0)).
    public var modelsByEmittingNodes: [HeraldModel] {
        (0..<4).map { model(ionAPresent: $0 & 1 != 0, ionBPresent: $0 & 2 != 0) }
    }

    /// The model with either ion missing (it emits nothing).
    public func model(ionAPresent: Bool, ionBPresent: Bool) -> HeraldModel {
        if ionAPresent && ionBPresent { return model }
        return HeraldModel(nodeA: ionAPresent ? emissionA : .dark, nodeB: ionBPresent ? emissionB : .dark,
                           visibility: visibility, darkClickPerSlot: darkClickPerSlot, psiPlusVisible: psiPlusVisible)
    }
}
