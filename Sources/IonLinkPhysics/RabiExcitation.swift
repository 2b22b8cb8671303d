import Foundation
import IonLink

/// The excitation probability of the lab's excitation pulse (fixed length, resonant) when its laser
/// emits `power` instead of the configured `reference` power, at which the lab's YAML says it reaches
/// `referenceProbability`.
///
/// A resonant two-level atom driven for a time t ends excited with probability sin²(Ωt/2), and the
/// Rabi frequency Ω is proportional to the field amplitude, Ω ∝ E ∝ √I ∝ √P (Foot, *Atomic Physics*,
/// OUP 2005, §7.1–7.3). So the pulse area scales as θ = θ₀·√(P/P₀), with θ₀ = 2·asin(√p₀) (the
/// configured pulse taken at or below π), and p = sin²(θ/2). Zero power excites nothing; four times the
/// power of a π/2 pulse makes a π pulse.
public func rabiExcitationProbability(power: Power, reference: Power, referenceProbability p0: Probability) -> Probability {
    guard power.watts > 0, reference.watts > 0, power.watts.isFinite else { return Probability(unchecked: 0) }
    let halfArea0 = asin(p0.value.squareRoot())
    let halfArea = halfArea0 * (power.watts / reference.watts).squareRoot()
    let s = sin(halfArea)
    return Probability(unchecked: min(1, max(0, s * s)))
}
