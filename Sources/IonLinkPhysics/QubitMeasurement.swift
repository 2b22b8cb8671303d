import Foundation
import Numerics
import IonLink

extension DensityMatrix4 {
    /// Projects one qubit (0 = A, 1 = B) onto the eigenvector of `basis` with `outcome`
    /// (0 → +1, 1 → −1): ρ' = Π ρ Π with Π = |v⟩⟨v| ⊗ I or I ⊗ |v⟩⟨v| (the projection postulate).
    /// Returns the unnormalised post-measurement state; its trace is the outcome's probability.
    public func projected(qubit: Int, basis: PauliBasis, outcome: Int) -> DensityMatrix4 {
        projected(qubit: qubit, onto: basis.eigenvector(outcome))
    }

    /// Projects one qubit onto the eigenvector of cos α·X + sin α·Y (an axis on the Bloch sphere's
    /// equator) with `outcome` (0 → +1, 1 → −1): (1, ±e^{iα})/√2. α = 0 is X, α = π/2 is Y.
    public func projected(qubit: Int, equatorialAxis alpha: Double, outcome: Int) -> DensityMatrix4 {
        let s = (outcome == 0 ? 1.0 : -1.0) / 2.0.squareRoot()
        return projected(qubit: qubit, onto: [Complex(1 / 2.0.squareRoot(), 0), Complex(s * cos(alpha), s * sin(alpha))])
    }

    /// Projects one qubit onto the unit vector `v`: ρ' = Π ρ Π with Π = |v⟩⟨v| on that qubit.
    public func projected(qubit: Int, onto v: [Complex<Double>]) -> DensityMatrix4 {
        // One-qubit projector.
        var p1 = [[Complex<Double>]](repeating: [.zero, .zero], count: 2)
        for i in 0..<2 { for j in 0..<2 { p1[i][j] = v[i] * v[j].conjugate } }
        // Full 4×4 projector.
        var proj = DensityMatrix4()
        for a in 0..<2 { for b in 0..<2 { for a2 in 0..<2 { for b2 in 0..<2 {
            let value: Complex<Double>
            if qubit == 0 {
                value = b == b2 ? p1[a][a2] : .zero
            } else {
                value = a == a2 ? p1[b][b2] : .zero
            }
            proj[2 * a + b, 2 * a2 + b2] = value
        }}}}
        return proj.multiplied(by: self).multiplied(by: proj)
    }

    /// The matrix product self · other.
    public func multiplied(by other: DensityMatrix4) -> DensityMatrix4 {
        var m = DensityMatrix4()
        for r in 0..<4 {
            for c in 0..<4 {
                var acc = Complex<Double>.zero
                for k in 0..<4 { acc = acc + self[r, k] * other[k, c] }
                m[r, c] = acc
            }
        }
        return m
    }
}
