import Foundation
import IonLink

/// Mismatch between the two photons at the beam splitter.
public struct ModeMismatch: Sendable, Hashable {
    /// Arrival time of B's photon minus A's.
    public var arrivalOffset: Duration
    /// Centre frequency of B's photon minus A's.
    public var frequencyOffset: Frequency
    /// Angle between the two photons' polarisation frames, radians.
    public var polarizationAngle: Double

    public init(arrivalOffset: Duration = .zero, frequencyOffset: Frequency = .zero, polarizationAngle: Double = 0) {
        self.arrivalOffset = arrivalOffset
        self.frequencyOffset = frequencyOffset
        self.polarizationAngle = polarizationAngle
    }
}

/// Two-photon interference visibility V = |⟨φ_A|φ_B⟩|² of spontaneously emitted photons.
///
/// Each photon is the decay wavepacket φ(t) = √Γ e^{−Γt/2} Θ(t) of its emitter (Γ = 1/τ). For B
/// delayed by δt ≥ 0 and detuned by δω = 2π δf, the overlap integral gives
/// |⟨φ_A|φ_B⟩|² = Γ_A Γ_B e^{−Γ_A δt} / (((Γ_A+Γ_B)/2)² + δω²)
/// (the earlier photon's rate sets the decay; Legero et al., Appl. Phys. B 77, 797 (2003), for equal Γ:
/// e^{−Γ|δt|} Γ²/(Γ²+δω²)), times cos²θ for a polarisation misalignment θ (Malus).
public func interferenceVisibility(lifetimeA: Duration, lifetimeB: Duration, mismatch: ModeMismatch) -> Probability {
    let gA = 1 / lifetimeA.inSeconds
    let gB = 1 / lifetimeB.inSeconds
    let dt = mismatch.arrivalOffset.inSeconds
    let earlierRate = dt >= 0 ? gA : gB
    let dw = 2 * Double.pi * mismatch.frequencyOffset.hertz
    let half = (gA + gB) / 2
    let temporalSpectral = gA * gB * exp(-earlierRate * abs(dt)) / (half * half + dw * dw)
    let pol = cos(mismatch.polarizationAngle)
    return Probability(unchecked: min(1, max(0, temporalSpectral * pol * pol)))
}
