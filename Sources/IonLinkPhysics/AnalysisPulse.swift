import Foundation
import IonLink

/// The analysis pulse before a fluorescence readout: fluorescence tells |0⟩ (bright) from |1⟩ (dark),
/// that is Z; a resonant π/2 pulse first turns another basis into Z.
///
/// A resonant pulse of area θ whose drive has phase φ rotates about the axis (cos φ, sin φ, 0):
/// U = exp(−iθ(cos φ·X + sin φ·Y)/2) (rotating frame, rotating-wave approximation; Nielsen & Chuang
/// §4.2, with the drive phase setting the axis as in Vandersypen & Chuang, RMP 76, 1037 (2005), §II.B).
/// Measuring Z after it measures U†ZU = cos θ·Z + sin θ·(cos φ·Y − sin φ·X); for θ = π/2 that is the
/// equatorial axis cos α·X + sin α·Y with α = φ + π/2. So φ = 270° measures X and φ = 0° measures Y.
/// (`AnalysisPulseTests` checks both against the pulse's matrix applied to each basis's eigenvectors.)
public enum AnalysisPulse {
    /// The axis a π/2 pulse of drive phase `phase` makes the readout measure: α = φ + π/2.
    public static func measuredAxis(drivePhase phase: Angle) -> Angle { .radians(phase.radians + Double.pi / 2) }

    /// The drive phase whose π/2 pulse turns `basis` into Z, in 0…360°; nil for Z (no pulse).
    public static func drivePhase(for basis: PauliBasis) -> Angle? {
        switch basis {
        case .x: .degrees(270)
        case .y: .degrees(0)
        case .z: nil
        }
    }
}
