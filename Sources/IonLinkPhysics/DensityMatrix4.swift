import Numerics
import IonLink

/// A two-qubit density matrix in the basis |AB⟩ = |00⟩, |01⟩, |10⟩, |11⟩ (index 2a + b; 0 = ↑, 1 = ↓).
///
/// Stored row-major; not required to have unit trace (herald models carry probabilities in the trace).
public struct DensityMatrix4: Sendable, Hashable {
    public var entries: [Complex<Double>]

    public init() { entries = Array(repeating: .zero, count: 16) }

    public subscript(_ row: Int, _ column: Int) -> Complex<Double> {
        get { entries[row * 4 + column] }
        set { entries[row * 4 + column] = newValue }
    }

    /// |ψ⟩⟨ψ| for a pure state given by its four amplitudes.
    public init(pure amplitudes: [Complex<Double>]) {
        self.init()
        for r in 0..<4 { for c in 0..<4 { self[r, c] = amplitudes[r] * amplitudes[c].conjugate } }
    }

    /// The product state ρ_A ⊗ ρ_B of two single-qubit diagonal states (populations of |0⟩, |1⟩).
    public static func product(_ a: (Double, Double), _ b: (Double, Double)) -> DensityMatrix4 {
        var m = DensityMatrix4()
        let pa = [a.0, a.1], pb = [b.0, b.1]
        for i in 0..<2 { for j in 0..<2 { m[2 * i + j, 2 * i + j] = Complex(pa[i] * pb[j]) } }
        return m
    }

    /// The maximally mixed state I/4.
    public static let maximallyMixed = product((0.5, 0.5), (0.5, 0.5))

    public var trace: Double { (0..<4).reduce(0) { $0 + self[$1, $1].real } }

    public static func + (a: DensityMatrix4, b: DensityMatrix4) -> DensityMatrix4 {
        var m = a
        for i in 0..<16 { m.entries[i] = a.entries[i] + b.entries[i] }
        return m
    }
    public static func * (s: Double, a: DensityMatrix4) -> DensityMatrix4 {
        var m = a
        for i in 0..<16 { m.entries[i] = a.entries[i] * Complex(s) }
        return m
    }

    /// The depolarizing channel on one qubit (0 = A, 1 = B): ρ → (1−p)ρ + p·(I/2 ⊗ Tr_q ρ) in that qubit's place.
    /// Trace-preserving, so it scales nothing the trace carries.
    public func depolarized(qubit: Int, probability p: Double) -> DensityMatrix4 {
        guard p > 0 else { return self }
        var out = DensityMatrix4()
        for r in 0..<4 {
            for c in 0..<4 {
                // (this qubit's bit, the other qubit's bit) of the row and column.
                let shift = qubit == 0 ? 1 : 0, other = 1 - shift
                let (rq, ro, cq, co) = ((r >> shift) & 1, (r >> other) & 1, (c >> shift) & 1, (c >> other) & 1)
                var value = self[r, c] * Complex(1 - p)
                if rq == cq {
                    var reduced = Complex<Double>.zero
                    for x in 0..<2 { reduced = reduced + self[x << shift | ro << other, x << shift | co << other] }
                    value = value + reduced * Complex(p / 2)
                }
                out[r, c] = value
            }
        }
        return out
    }

    /// ρ / Tr ρ.
    public var normalized: DensityMatrix4 {
        let t = trace
        return t > 0 ? (1 / t) * self : self
    }

    /// ⟨ψ|ρ|ψ⟩ for a pure state ψ.
    public func expectation(ofPure psi: [Complex<Double>]) -> Double {
        var acc = Complex<Double>.zero
        for r in 0..<4 { for c in 0..<4 { acc = acc + psi[r].conjugate * self[r, c] * psi[c] } }
        return acc.real
    }

    /// Fidelity of the normalised state with the Bell state `target`.
    public func fidelity(with target: BellState) -> Double {
        normalized.expectation(ofPure: target.amplitudes)
    }

    /// ⟨σ_P ⊗ σ_P⟩ for Pauli basis P on both qubits (of the normalised state).
    public func correlator(_ basis: PauliBasis) -> Double {
        let n = normalized
        var sum = 0.0
        for a in 0..<2 {
            for b in 0..<2 {
                sum += Double((a == b) ? 1 : -1) * n.jointProbability(basis, outcomeA: a, outcomeB: b)
            }
        }
        return sum
    }

    /// Probability of eigen-outcomes (0 → +1, 1 → −1) when both qubits are measured in `basis`.
    public func jointProbability(_ basis: PauliBasis, outcomeA: Int, outcomeB: Int) -> Double {
        let va = basis.eigenvector(outcomeA), vb = basis.eigenvector(outcomeB)
        var psi = [Complex<Double>](repeating: .zero, count: 4)
        for i in 0..<2 { for j in 0..<2 { psi[2 * i + j] = va[i] * vb[j] } }
        return expectation(ofPure: psi)
    }
}

extension PauliBasis {
    /// Eigenvector for outcome 0 (eigenvalue +1) or 1 (eigenvalue −1) in the computational basis.
    public func eigenvector(_ outcome: Int) -> [Complex<Double>] {
        let r = 1 / 2.0.squareRoot()
        let s: Double = outcome == 0 ? 1 : -1
        switch self {
        case .z: return outcome == 0 ? [.one, .zero] : [.zero, .one]
        case .x: return [Complex(r), Complex(s * r)]
        case .y: return [Complex(r), Complex(0, s * r)]
        }
    }
}

extension BellState {
    /// Amplitudes of (|01⟩ ± |10⟩)/√2.
    public var amplitudes: [Complex<Double>] {
        let r = 1 / 2.0.squareRoot()
        return [.zero, Complex(r), Complex(self == .psiPlus ? r : -r), .zero]
    }

    /// Sign of ⟨σσ⟩ for the ideal state: ψ⁻ has −1 in X, Y, Z; ψ⁺ has +1 in X, Y and −1 in Z.
    public func idealCorrelator(_ basis: PauliBasis) -> Double {
        switch (self, basis) {
        case (.psiMinus, _), (.psiPlus, .z): -1
        case (.psiPlus, _): 1
        }
    }
}
