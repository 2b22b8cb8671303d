import Numerics
import IonLink

extension DensityMatrix4 {
    /// Projects one qubit (0 = A, 1 = B) onto the eigenvector of `basis` with `outcome`
    /// (0 → +1, 1 → −1): ρ' = Π ρ Π with Π = |v⟩⟨v| ⊗ I or I ⊗ |v⟩⟨v| (the projection postulate).
    /// Returns the unnormalised post-measurement state; its trace is the outcome's probability.
    public func projected(qubit: Int, basis: PauliBasis, outcome: Int) -> DensityMatrix4 {
        let v = basis.eigenvector(outcome)
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
