import Foundation
import Testing
import IonLink
@testable import IonLinkPhysics

@Suite struct CollectionTests {
    /// Brute-force midpoint integration of the pattern over the collection cone.
    func integrate(_ pattern: (Double) -> Double, thetaMax: Double) -> Double {
        let n = 200_000
        var inside = 0.0, all = 0.0
        for i in 0..<n {
            let theta = (Double(i) + 0.5) / Double(n) * .pi
            let w = pattern(theta) * sin(theta)
            all += w
            if theta <= thetaMax { inside += w }
        }
        return inside / all
    }

    @Test(arguments: [0.1, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9])
    func sigmaDipoleMatchesNumericalIntegral(na: Double) throws {
        let analytic = try collectionEfficiency(numericalAperture: na, pattern: .sigma).value
        let numeric = integrate({ 1 + cos($0) * cos($0) }, thetaMax: asin(na))
        #expect(abs(analytic - numeric) < 1e-4)
        let iso = try collectionEfficiency(numericalAperture: na, pattern: .isotropic).value
        #expect(abs(iso - integrate({ _ in 1 }, thetaMax: asin(na))) < 1e-4)
    }

    @Test func publishedAnchors() throws {
        #expect(abs(try collectionEfficiency(numericalAperture: 0.6, pattern: .sigma).value - 0.136) < 5e-4)
        #expect(abs(try collectionEfficiency(numericalAperture: 0.8, pattern: .sigma).value - 0.248) < 5e-4)
        #expect(throws: UnitError.self) { try collectionEfficiency(numericalAperture: 1.2, pattern: .sigma) }
    }
}
