import Foundation
import IonLink

/// Per-mode and per-attempt statistics of an ion–photon link, computed exactly (docs/physics.md, "Ion–photon links").
///
/// The node emits an ion–photon pair in each of ``modes`` modes; the photon's polarization is analysed at the hub by a
/// polarizing beam splitter and two threshold detectors, in the basis the tomography asks. A mode heralds when exactly
/// one of the two detectors clicks in its window (both clicking is discarded, as labs do). Two ways give one click:
/// - the photon is detected (probability η) and the other detector stays dark (1 − p_d); its state is the source's
///   Werner state ρ_s = (1 − p_s)|ψ⁺⟩⟨ψ⁺| + p_s·I/4 with p_s = 4(1 − F_src)/3, carried through the converter's
///   depolarizing channel on the photon (``NodeEmission/depolarization``);
/// - the photon is lost (1 − η) and exactly one detector fires on a dark or noise count, 2·p_d(1 − p_d): the outcome
///   is uncorrelated with the ion (whose reduced state is I/2), which in every basis has the statistics of I/4.
///
/// So a mode heralds with p = η(1 − p_d) + 2p_d(1 − p_d)(1 − η), and its state's fidelity with ψ⁺ is
/// F = [η(1 − p_d)·F_sig + 2p_d(1 − p_d)(1 − η)/4] / p, F_sig = (1 − p_c)·F_src + p_c/4 (the background-only model of
/// Krutyanskiy et al., npj Quantum Inf. 5, 72 (2019), App.; `IonPhotonModelTests` checks the density-matrix sum against
/// this closed form). An attempt of N modes stops at the first herald, so it heralds with 1 − (1 − p)^N and
/// every heralded state is a mode's (identical modes).
public struct IonPhotonModel: Sendable {
    /// Probability that one mode's photon clicks: excitation times the node's whole chain (η).
    public let photonPerMode: Probability
    /// Probability of a dark or noise click in one detector during one mode's window (p_d).
    public let darkPerDetector: Probability
    public let sourceFidelity: Probability
    /// The converter's depolarizing probability on the photon (p_c).
    public let depolarization: Probability
    public let modes: Int
    /// The unnormalised ion–photon state one mode heralds (ion first); its trace is the mode's herald probability.
    public let modeState: DensityMatrix4

    public init(photonPerMode: Probability, darkPerDetector: Probability, sourceFidelity: Probability, depolarization: Probability,
                modes: Int) {
        self.photonPerMode = photonPerMode
        self.darkPerDetector = darkPerDetector
        self.sourceFidelity = sourceFidelity
        self.depolarization = depolarization
        self.modes = max(1, modes)
        let eta = photonPerMode.value, pd = darkPerDetector.value
        let werner = DensityMatrix4(pure: BellState.psiPlus.amplitudes)
            .depolarized(qubit: 0, probability: 4 * (1 - sourceFidelity.value) / 3)
        let signal = werner.depolarized(qubit: 1, probability: depolarization.value)
        modeState = (eta * (1 - pd)) * signal + (2 * pd * (1 - pd) * (1 - eta)) * DensityMatrix4.maximallyMixed
    }

    /// Probability that one mode heralds (a photon or a background click).
    public var modeHeraldProbability: Double { modeState.trace }

    /// Probability that one mode heralds on its photon (not on background).
    public var modeSignalProbability: Double { photonPerMode.value * (1 - darkPerDetector.value) }

    /// Probability that an attempt heralds: 1 − (1 − p)^N.
    public var heraldProbability: Double { -expm1(Double(modes) * log1p(-min(modeHeraldProbability, 1))) }

    /// Probability that an attempt detects a photon of the ion in any mode, background aside: 1 − (1 − η)^N (the
    /// background-subtracted figure papers quote as the photon's detection probability).
    public var photonProbability: Double { -expm1(Double(modes) * log1p(-min(photonPerMode.value, 1))) }

    /// Probability that an attempt heralds on background alone (every photon lost): what a lab subtracts.
    public var backgroundProbability: Double {
        let p = 2 * darkPerDetector.value * (1 - darkPerDetector.value) * (1 - photonPerMode.value)
        return -expm1(Double(modes) * log1p(-min(p, 1)))
    }

    /// The heralded state's fidelity with ψ⁺.
    public var fidelity: Double { modeState.fidelity(with: .psiPlus) }

    /// The heralded state, normalised.
    public var state: DensityMatrix4 { modeState.normalized }
}
