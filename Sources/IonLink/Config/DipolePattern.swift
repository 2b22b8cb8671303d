/// The angular emission pattern of the photon's transition as seen by the objective.
public enum DipolePattern: String, Sendable, Hashable, Codable, CaseIterable {
    /// A σ± dipole viewed along the quantisation axis: intensity ∝ 1 + cos²θ.
    case sigma
    /// An isotropic emitter (polarisation-averaged), for comparison.
    case isotropic
}
