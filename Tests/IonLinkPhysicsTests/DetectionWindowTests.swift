import Foundation
import Testing
import IonLink
@testable import IonLinkPhysics

@Suite struct DetectionWindowTests {
    @Test func noJitterIsTheExponentialCDF() {
        let w = DetectionWindow(start: .zero, length: .picoseconds(7_855))
        let p = w.acceptance(lifetime: .picoseconds(7_855), jitterSigma: .zero)
        #expect(abs(p.value - (1 - exp(-1))) < 1e-12)
    }

    @Test(arguments: [(-300, 20_000, 30), (-2_000, 3_000, 500), (1_000, 5_000, 200), (-50, 100_000, 0)])
    func matchesMonteCarlo(startPs: Int64, lengthPs: Int64, sigmaPs: Int64) {
        let tau = 7_855e-12, sigma = Double(sigmaPs) * 1e-12
        let w = DetectionWindow(start: .picoseconds(startPs), length: .picoseconds(lengthPs))
        let analytic = w.acceptance(lifetime: .secondsDouble(tau), jitterSigma: .picoseconds(sigmaPs)).value
        var rng = SeededGenerator(seed: 7)
        let n = 400_000
        var hits = 0
        let a = Double(startPs) * 1e-12, b = Double(startPs + lengthPs) * 1e-12
        for _ in 0..<n {
            let u1 = rng.nextOpenUnit(), u2 = rng.nextUnit(), u3 = rng.nextOpenUnit()
            let gauss = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
            let t = -tau * log(u3) + sigma * gauss
            if t >= a && t <= b { hits += 1 }
        }
        let mc = Double(hits) / Double(n)
        let sd = (analytic * (1 - analytic) / Double(n)).squareRoot()
        #expect(abs(mc - analytic) < 5 * sd + 1e-6)
    }
}
