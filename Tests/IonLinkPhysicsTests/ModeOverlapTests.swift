import Foundation
import Testing
import IonLink
@testable import IonLinkPhysics

@Suite struct ModeOverlapTests {
    /// |∫ φ_A*(t) φ_B(t) dt|² by direct numerical integration of the wavepackets.
    func numericOverlap(tauA: Double, tauB: Double, dt: Double, df: Double) -> Double {
        let gA = 1 / tauA, gB = 1 / tauB
        let step = min(tauA, tauB) / 2000
        var re = 0.0, im = 0.0
        var t = max(0, dt) + step / 2
        let end = max(0, dt) + 40 * max(tauA, tauB)
        while t < end {
            let a = gA.squareRoot() * exp(-gA * t / 2)
            let b = gB.squareRoot() * exp(-gB * (t - dt) / 2)
            let phase = 2 * Double.pi * df * t
            re += a * b * cos(phase) * step
            im += a * b * sin(phase) * step
            t += step
        }
        return re * re + im * im
    }

    @Test(arguments: [(0.0, 0.0), (150e-12, 0.0), (0.0, 5e6), (1e-9, 2e6), (-2e-9, 0.0)])
    func analyticMatchesIntegral(dt: Double, df: Double) {
        for (ta, tb) in [(7.855e-9, 7.855e-9), (8.12e-9, 7.39e-9)] {
            let v = interferenceVisibility(lifetimeA: .secondsDouble(ta), lifetimeB: .secondsDouble(tb),
                                           mismatch: ModeMismatch(arrivalOffset: .secondsDouble(dt), frequencyOffset: .hertz(df)))
            #expect(abs(v.value - numericOverlap(tauA: ta, tauB: tb, dt: dt, df: df)) < 2e-3)
        }
    }

    @Test func identicalPhotonsAreFullyIndistinguishable() {
        let tau = Duration.picoseconds(7_855)
        #expect(abs(interferenceVisibility(lifetimeA: tau, lifetimeB: tau, mismatch: ModeMismatch()).value - 1) < 1e-12)
        let pol = interferenceVisibility(lifetimeA: tau, lifetimeB: tau, mismatch: ModeMismatch(polarizationAngle: .pi / 4))
        #expect(abs(pol.value - 0.5) < 1e-12)
    }
}
