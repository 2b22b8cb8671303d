import Foundation
import Testing
@testable import IonLink

/// An SNSPD's efficiency against bias: the erf sigmoid against the Gaussian's density integrated
/// numerically, and its keys in the lab YAML.
@Suite struct DetectorBiasCurveTests {
    let species = ["Yb171", "Ba138", "Sr88", "Ca40", "Ca40-393"]

    /// ∫_{−∞}^{I} N(x; I_ip, σ) dx by Simpson's rule from I_ip − 12σ, 4000 intervals.
    func integratedGaussian(_ i: Double, inflection: Double, width: Double) -> Double {
        let a = inflection - 12 * width, n = 4000
        guard i > a else { return 0 }
        let h = (i - a) / Double(n)
        func f(_ x: Double) -> Double { exp(-0.5 * pow((x - inflection) / width, 2)) / (width * (2 * Double.pi).squareRoot()) }
        var sum = f(a) + f(i)
        for k in 1..<n { sum += f(a + Double(k) * h) * (k % 2 == 1 ? 4 : 2) }
        return sum * h / 3
    }

    @Test func saturationIsTheGaussiansCumulativeDistribution() {
        for microamps in stride(from: 4.0, through: 16, by: 0.5) {
            let s = DetectorConfig.saturation(.microamperes(microamps), inflection: .microamperes(9), width: .microamperes(1.3))
            let integrated = integratedGaussian(microamps, inflection: 9, width: 1.3)
            #expect(abs(s - integrated) < 1e-9, "\(microamps) µA: \(s) vs \(integrated)")
        }
        #expect(DetectorConfig.saturation(.microamperes(9), inflection: .microamperes(9), width: .microamperes(1)) == 0.5)
    }

    func hub(_ extra: String) throws -> DetectorConfig {
        let text = try LabConfig.defaultYAML()
        let anchor = try #require(text.range(of: "    max_bias_ua: 20\n"))
        return try LabConfig.parse(yaml: text.replacingCharacters(in: anchor, with: "    max_bias_ua: 20\n" + extra), speciesKeys: species)
            .hub.detector
    }

    @Test func theConfiguredEfficiencyIsTheCurvesAtTheConfiguredBias() throws {
        let flat = try hub("")
        #expect(flat.efficiencyCurve == nil && flat.efficiency(atBias: .microamperes(3)) == flat.spec.efficiency.value)
        let d = try hub("    efficiency_inflection_ua: 9\n    efficiency_width_ua: 1\n")
        #expect(abs(d.efficiency(atBias: d.bias) - d.spec.efficiency.value) < 1e-15)
        #expect(d.efficiency(atBias: .microamperes(9)) < d.spec.efficiency.value / 1.9)
        #expect(d.plateauEfficiency > d.spec.efficiency.value && d.plateauEfficiency <= 1)
    }

    @Test func halfACurveOrAnUnreachableEfficiencyIsRefused() throws {
        #expect(throws: ConfigError.self) { try hub("    efficiency_inflection_ua: 9\n") }
        // At 12 µA with the half point at 20 µA the wire has ~0 of its plateau: 0.7 cannot be reached.
        do {
            _ = try hub("    efficiency_inflection_ua: 20\n    efficiency_width_ua: 1\n")
            Issue.record("an unreachable efficiency was accepted")
        } catch let ConfigError.outOfRange(path, _, _, _) {
            #expect(path == "hub.detector.efficiency")
        }
    }
}
