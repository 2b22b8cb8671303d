import Foundation
import Numerics
import Testing
import IonLink
import IonLinkPhysics

/// The analysis pulse's phases against the pulse's own 2×2 matrix, U = cos(θ/2)·I − i·sin(θ/2)(cos φ·X +
/// sin φ·Y), applied to each basis's eigenvectors: the +1 eigenvector must end in |0⟩ (bright).
@Suite struct AnalysisPulseTests {
    typealias C = Complex<Double>

    /// |⟨0|U|v⟩|² for a π/2 pulse of phase φ.
    func brightProbability(after phase: Angle, of v: [C]) -> Double {
        let c = cos(Double.pi / 4), s = sin(Double.pi / 4)
        let phi = phase.radians
        // −i·s·(cos φ·X + sin φ·Y) has off-diagonal entries −i·s·e^{−iφ} (row 0) and −i·s·e^{iφ} (row 1).
        let u01 = C(0, -s) * C(cos(-phi), sin(-phi))
        let amplitude0 = C(c, 0) * v[0] + u01 * v[1]
        return amplitude0.lengthSquared
    }

    @Test func eachBasisPlusEigenvectorEndsBright() throws {
        let r = 1 / 2.0.squareRoot()
        let plusX = [C(r, 0), C(r, 0)], plusY = [C(r, 0), C(0, r)]
        let minusX = [C(r, 0), C(-r, 0)], minusY = [C(r, 0), C(0, -r)]
        let x = try #require(AnalysisPulse.drivePhase(for: .x)), y = try #require(AnalysisPulse.drivePhase(for: .y))
        #expect(abs(brightProbability(after: x, of: plusX) - 1) < 1e-12)
        #expect(abs(brightProbability(after: x, of: minusX)) < 1e-12)
        #expect(abs(brightProbability(after: y, of: plusY) - 1) < 1e-12)
        #expect(abs(brightProbability(after: y, of: minusY)) < 1e-12)
        #expect(AnalysisPulse.drivePhase(for: .z) == nil)
    }

    /// At any phase, the +1 eigenvector of the axis the world measures, (1, e^{iα})/√2, ends bright.
    @Test func measuredAxisAgreesWithThePulseAtEveryPhase() {
        for degrees in stride(from: 0.0, through: 360, by: 15) {
            let alpha = AnalysisPulse.measuredAxis(drivePhase: .degrees(degrees)).radians
            let r = 1 / 2.0.squareRoot()
            let v = [C(r, 0), C(r * cos(alpha), r * sin(alpha))]
            #expect(abs(brightProbability(after: .degrees(degrees), of: v) - 1) < 1e-12, "phase \(degrees)°")
        }
    }
}
