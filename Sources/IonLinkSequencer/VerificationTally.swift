import Foundation
import IonLink

/// Parity outcomes of verification measurements, per basis, aligned to the heralded Bell state so
/// that the ideal state gives +1 in every basis.
public struct VerificationTally: Sendable, Hashable {
    public private(set) var shots: [PauliBasis: Int] = [:]
    /// Sum of aligned parities (each ±1).
    public private(set) var alignedSum: [PauliBasis: Int] = [:]

    public init() {}

    /// A tally with these counts (for example read back from a run record).
    public init(shots: [PauliBasis: Int], alignedSum: [PauliBasis: Int]) {
        self.shots = shots
        self.alignedSum = alignedSum
    }

    /// Records one measurement of both ions in `basis` (eigenvalues ±1) after heralding `state`.
    /// The aligned parity is eigA·eigB·s, with s the ideal correlator sign of the state
    /// (ψ⁻: −1 in X, Y, Z; ψ⁺: +1 in X, Y and −1 in Z).
    public mutating func record(basis: PauliBasis, state: BellState, eigenvalueA: Int, eigenvalueB: Int) {
        let sign = state == .psiMinus || basis == .z ? -1 : 1
        shots[basis, default: 0] += 1
        alignedSum[basis, default: 0] += eigenvalueA * eigenvalueB * sign
    }

    /// Mean aligned correlator in `basis`, or nil without shots.
    public func correlator(_ basis: PauliBasis) -> Double? {
        guard let n = shots[basis], n > 0 else { return nil }
        return Double(alignedSum[basis, default: 0]) / Double(n)
    }

    /// F̂ = (1 + C_X + C_Y + C_Z)/4, the Bell-state fidelity from the decomposition
    /// |ψ∓⟩⟨ψ∓| = (I ∓ XX ∓ YY − ZZ)/4, with a normal-approximation interval:
    /// Var(C_B) = (1 − C_B²)/n_B (binomial), σ_F² = Σ_B Var(C_B)/16. Nil until all three bases have shots.
    public func fidelityEstimate(confidence z: Double = 1.96) -> (fidelity: Double, halfWidth: Double)? {
        var sum = 1.0, variance = 0.0
        for b in PauliBasis.allCases {
            guard let c = correlator(b), let n = shots[b] else { return nil }
            sum += c
            variance += max(1 - c * c, 1 / Double(n)) / Double(n)
        }
        return (sum / 4, z * variance.squareRoot() / 4)
    }
}
