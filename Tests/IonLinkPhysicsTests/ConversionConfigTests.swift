import Foundation
import Testing
import IonLink
@testable import IonLinkPhysics

/// The telecom lab (docs/labs/telecom-10km.yaml): its conversion and distance reach the model, and a conversion that
/// cannot work is refused with its key and line.
@Suite struct ConversionConfigTests {
    static let lab = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/labs/telecom-10km.yaml")

    func text() throws -> String { try String(contentsOf: Self.lab, encoding: .utf8) }

    func model(_ yaml: String) throws -> LabModel {
        try LabModel(config: LabConfig.parse(yaml: yaml, speciesKeys: Species.presets.keys.sorted()))
    }

    /// The 1-based line of the first occurrence of `needle`.
    func line(of needle: String, in yaml: String) throws -> Int {
        let r = try #require(yaml.range(of: needle))
        return yaml[..<r.lowerBound].filter { $0 == "\n" }.count + 1
    }

    /// `yaml` with the first occurrence of `old` replaced.
    func replacing(_ old: String, _ new: String, in yaml: String) throws -> String {
        let r = try #require(yaml.range(of: old))
        return yaml.replacingCharacters(in: r, with: new)
    }

    @Test func theTelecomLabConvertsAndWaitsForTheHeraldsRoundTrip() throws {
        let m = try model(text())
        // 0.8 × 0.57 × 0.85 × 0.78 at the peak pump.
        #expect(abs(m.budget.chainA.conversion.value - 0.8 * 0.57 * 0.85 * 0.78) < 1e-12)
        // 5 km at 0.18 dB/km.
        #expect(abs(m.budget.chainA.fiberTransmission.value - pow(10, -0.09)) < 1e-12)
        // 2 × 5 km × n_g / c.
        let roundTrip = 2 * 5000 * LabModel.fiberGroupIndex / 299_792_458.0
        #expect(abs(m.attemptTiming.heraldRoundTrip.inSeconds - roundTrip) < 1e-12)
        #expect(m.attemptTiming.limit == .heraldRoundTrip)
        #expect(abs(m.attemptPeriod.inSeconds - m.attemptTiming.period.inSeconds) < 1e-12)
        // 60 noise photons/s per node into 5 km, 0.7 detected, over four detectors.
        #expect(abs(m.budget.noiseClickRatePerDetector.hertz - 2 * 60 * pow(10, -0.09) * 0.7 / 4) < 1e-9)
        // The default lab's 5 m are bounded by its pulses.
        #expect(try LabModel(config: LabConfig.parse(yaml: LabConfig.defaultYAML(), speciesKeys: Species.presets.keys.sorted()))
            .attemptTiming.limit == .pulseSequence)
    }

    @Test func anEfficiencyAboveOneOrAPumpPastItsLimitIsRefusedWithItsLine() throws {
        let yaml = try text()
        let bad = try replacing("peak_efficiency: 0.57", "peak_efficiency: 1.2", in: yaml)
        #expect(throws: ConfigError.outOfRange(path: "nodes.A.conversion.stages[0].peak_efficiency", value: "1.2", allowed: "0.0...1.0",
                                               line: try line(of: "peak_efficiency: 1.2", in: bad))) { try model(bad) }
        let hot = try replacing("pump_power_mw: 800", "pump_power_mw: 1200", in: yaml)
        #expect(throws: ConfigError.outOfRange(path: "nodes.A.conversion.stages[0].pump_power_mw", value: "1200.0",
                                               allowed: "0...max_pump_power_mw (1000.0)", line: try line(of: "pump_power_mw: 1200", in: hot))) {
            try model(hot)
        }
    }

    @Test func aPhotonTheDetectorWasNotMadeForIsRefused() throws {
        // Converted to 1310 nm (with the pump that gives it) for a C-band SNSPD.
        var yaml = try replacing("output_wavelength_nm: 1550", "output_wavelength_nm: 1310", in: text())
        yaml = try replacing("pump_wavelength_nm: 1902.9", "pump_wavelength_nm: 2455.1", in: yaml)
        do {
            _ = try model(yaml)
            Issue.record("a 1310 nm photon was accepted by a 1500–1600 nm detector")
        } catch let ConfigError.outOfRange(path, value, _, line) {
            #expect(path == "nodes.A.conversion.stages[0].output_wavelength_nm" && value == "1310.0 nm")
            #expect(line == (try self.line(of: "- output_wavelength_nm: 1310", in: yaml)))
        }
        // No conversion at all: the ion's 854 nm photon at the same detector.
        let unconverted = try replacing("    conversion:\n", "    unused_conversion:\n", in: text())
        let start = try #require(unconverted.range(of: "    unused_conversion:\n"))
        let end = try #require(unconverted.range(of: "max_setpoint_c: 120 }\n", range: start.upperBound..<unconverted.endIndex))
        let bare = unconverted.replacingCharacters(in: start.lowerBound..<end.upperBound, with: "")
        do {
            _ = try model(bare)
            Issue.record("an 854 nm photon was accepted by a 1500–1600 nm detector")
        } catch let ConfigError.outOfRange(path, value, _, line) {
            #expect(path == "nodes.A.species" && value == "854.2 nm")
            #expect(line == (try self.line(of: "species: Ca40", in: bare)))
        }
    }

    @Test func aPumpThatDoesNotConserveEnergyIsRefused() throws {
        let yaml = try replacing("pump_wavelength_nm: 1902.9", "pump_wavelength_nm: 1064", in: text())
        do {
            _ = try model(yaml)
            Issue.record("a 1064 nm pump was accepted for 854 → 1550 nm")
        } catch let ConfigError.outOfRange(path, _, allowed, _) {
            #expect(path == "nodes.A.conversion.stages[0].pump_wavelength_nm")
            #expect(allowed.contains("854.2 nm in, 1550.0 nm out"))
        }
    }

    @Test func anOvenSetpointPastItsLimitIsRefusedWithItsLine() throws {
        let hot = try replacing("setpoint_c: 84.2, max_setpoint_c: 120", "setpoint_c: 130, max_setpoint_c: 120", in: text())
        #expect(throws: ConfigError.outOfRange(path: "nodes.A.conversion.stages[0].oven.setpoint_c", value: "130.0",
                                               allowed: "20...max_setpoint_c (120.0)", line: try line(of: "setpoint_c: 130", in: hot))) {
            try model(hot)
        }
        // Detuned by a third of the acceptance: the stage transmits sinc² of it.
        let detuned = try replacing("setpoint_c: 84.2,", "setpoint_c: 84.7,", in: text())
        let ratio = try model(detuned).budget.chainA.conversion.value / model(text()).budget.chainA.conversion.value
        let x = 2 * ConversionStage.sincSquaredHalfWidth * 0.5 / 1.5
        #expect(abs(ratio - pow(sin(x) / x, 2)) < 1e-9)
    }

    @Test func threeStagesOrHalfADetectorBandAreRefused() throws {
        let yaml = try text()
        let stageStart = try #require(yaml.range(of: "        - output_wavelength_nm"))
        let stageEnd = try #require(yaml.range(of: "max_setpoint_c: 120 }\n"))
        let oneStage = String(yaml[stageStart.lowerBound..<stageEnd.upperBound])
        let three = yaml.replacingCharacters(in: stageStart.lowerBound..<stageEnd.upperBound, with: oneStage + oneStage + oneStage)
        #expect(throws: ConfigError.self) { try model(three) }
        let half = try replacing("    max_wavelength_nm: 1600\n", "", in: yaml)
        #expect(throws: ConfigError.self) { try model(half) }
    }
}
