import Foundation
import IonLink

/// Fraction of emitted photons that enter an objective of numerical aperture `na` (in vacuum).
///
/// With c = cos(asin NA):
/// - σ dipole along the axis: ∫₀^θmax (1+cos²θ) sinθ dθ / ∫₀^π (1+cos²θ) sinθ dθ = (4 − 3c − c³)/8;
/// - isotropic: the solid-angle fraction (1 − c)/2.
/// (Both follow from integrating the dipole radiation pattern, Jackson, *Classical Electrodynamics*
/// §9.2, over the collection cone.)
public func collectionEfficiency(numericalAperture na: Double, pattern: DipolePattern) throws(UnitError) -> Efficiency {
    guard na.isFinite, na >= 0, na < 1 else {
        throw .outOfRange("numerical aperture", value: na, allowed: "0..<1")
    }
    let c = (1 - na * na).squareRoot()
    switch pattern {
    case .sigma: return Probability(unchecked: (4 - 3 * c - c * c * c) / 8)
    case .isotropic: return Probability(unchecked: (1 - c) / 2)
    }
}
