import Foundation
import IonLink
import IonLinkPhysics
import Logging
@testable import IonLinkSimulation

/// Builders shared by the simulation tests.
enum Fixture {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func detector(dark: Double = 0, dead: Duration = .nanoseconds(20), afterpulse: Double = 0) -> DetectorSpec {
        DetectorSpec(kind: .snspd, efficiency: .one, darkCountRate: .hertz(dark), deadTime: dead, jitterSigma: .zero,
                     afterpulseProbability: Probability(unchecked: afterpulse), afterpulseDelay: .nanoseconds(50))
    }

    /// A node whose whole chain (with a window that catches every photon) has efficiency `eta`.
    static let window = DetectionWindow(start: .zero, length: .nanoseconds(70))

    static func node(eta: Double, p2: Double = 0) -> NodeOptics {
        let s = Species.yb171
        let collection = try! collectionEfficiency(numericalAperture: 0.9, pattern: .sigma).value
            * window.acceptance(lifetime: s.excitedLifetime, jitterSigma: .zero).value
        return NodeOptics(species: s, excitation: .one, doubleExcitation: Probability(unchecked: p2), numericalAperture: 0.9,
                          dipole: .sigma, fiberCoupling: Probability(unchecked: eta / (s.branching.value * collection)),
                          opticsTransmission: .one, fiberLength: .zero, fiberAttenuation: .dBPerKm(0))
    }

    static func budget(eta: Double, encoding: PhotonEncoding, dark: Double = 0,
                       mismatch: ModeMismatch = ModeMismatch()) throws -> LinkBudget {
        let hub = HubOptics(encoding: encoding, detector: detector(dark: dark),
                            window: window,
                            timeBinSeparation: .nanoseconds(100))
        return try LinkBudget(nodeA: node(eta: eta), nodeB: node(eta: eta), hub: hub, mismatch: mismatch,
                              attemptPeriod: .microseconds(1))
    }

    /// Models where each node's whole chain is `eta` (any value in 0...1, beyond what real optics reach).
    static func models(eta: Double, encoding: PhotonEncoding, darkClick: Double = 0) -> [HeraldModel] {
        let node = NodeEmission(excitation: .one, doubleExcitation: .zero, perPhoton: Probability(unchecked: eta))
        return (0..<4).map { bits in
            HeraldModel(nodeA: bits & 1 != 0 ? node : .dark, nodeB: bits & 2 != 0 ? node : .dark, visibility: .one,
                        darkClickPerSlot: Probability(unchecked: darkClick), psiPlusVisible: true)
        }
    }

    static func loop(_ models: [HeraldModel], world: SimulatedWorld, encoding: PhotonEncoding,
                     loss: Double = 0) -> SimulatedAttemptLoop {
        world.withState { s in s.excitationOn = [true, true] }
        let layout = Fixture.layout(encoding)
        return SimulatedAttemptLoop(models: models, attemptPeriod: .microseconds(1),
                                    lossProbability: [Probability(unchecked: loss), Probability(unchecked: loss)],
                                    world: world, tagger: nil, layout: layout,
                                    lifetime: .picoseconds(8_120), jitter: .zero)
    }

    static func loop(_ budget: LinkBudget, world: SimulatedWorld, encoding: PhotonEncoding,
                     loss: Double = 0) -> SimulatedAttemptLoop {
        loop(budget.modelsByEmittingNodes, world: world, encoding: encoding, loss: loss)
    }

    static func layout(_ encoding: PhotonEncoding) -> SlotLayout {
        encoding == .polarization
            ? .polarization(channels: [0, 1, 2, 3], photonDelay: .nanoseconds(50), windowStart: .zero,
                            windowLength: .nanoseconds(20))
            : .timeBin(detectorC: 0, detectorD: 1, binSeparation: .nanoseconds(100), photonDelay: .nanoseconds(50),
                       windowStart: .zero, windowLength: .nanoseconds(20))
    }

    static func defaultConfig() throws -> LabConfig {
        try LabConfig.parse(yaml: LabConfig.defaultYAML(), speciesKeys: Species.presets.keys.sorted())
    }
}
