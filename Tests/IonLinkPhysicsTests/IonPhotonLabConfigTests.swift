import Foundation
import Testing
import IonLink
@testable import IonLinkPhysics

/// An ion–photon lab YAML that cannot work is refused with its key and line; one that can gives the timing it says.
@Suite struct IonPhotonLabConfigTests {
    static let yaml = (try? String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/labs/published/innsbruck-50km.yaml"), encoding: .utf8)) ?? ""

    func parse(_ text: String) throws(ConfigError) -> LabConfig { try LabConfig.parse(yaml: text, speciesKeys: Species.presets.keys.sorted()) }

    func refusal(_ text: String) -> String {
        do { _ = try parse(text); return "accepted" } catch { return error.description }
    }

    @Test func refusesWhatAnIonPhotonLinkCannotBe() throws {
        #expect(!Self.yaml.isEmpty)
        #expect(refusal(Self.yaml.replacingOccurrences(of: "  modes: 1\n", with: "  modes: 0\n")).contains("'link.modes'"))
        #expect(refusal(Self.yaml.replacingOccurrences(of: "encoding: polarization", with: "encoding: time-bin")).contains("'encoding'"))
        #expect(refusal(Self.yaml.replacingOccurrences(of: "herald_return: local", with: "herald_return: radio")).contains("herald_return"))
        #expect(refusal(Self.yaml + "devices:\n  A.cooling: { model: obis, port: /dev/ttyUSB0 }\n").contains("'devices'"))
        let b = Self.yaml.replacingOccurrences(of: "\nhub:\n", with: "\n  B: { species: Ca40 }\nhub:\n")
        #expect(refusal(b).contains("nodes.B"))
        #expect(refusal(Self.yaml.replacingOccurrences(of: "photon_source_efficiency: 0.41", with: "photon_source_efficiency: 1.2"))
            .contains("photon_source_efficiency"))
        // The two-node model refuses it by name, rather than indexing a node that is not there.
        #expect(throws: ConfigError.self) { try LabModel(config: try parse(Self.yaml)) }
    }

    @Test func attemptIsOverheadModesAndThePhotonsWay() throws {
        let lab = try IonPhotonLabModel(config: try parse(Self.yaml))
        // 176 µs overhead + 30 µs mode + 50.47 km × 1.468 / c (247.1 µs); the herald returns locally.
        let expected = 176e-6 + 30e-6 + 50_470 * 1.468 / 299_792_458.0
        #expect(abs(lab.attemptPeriod.inSeconds - expected) < 2e-12)
        var deployed = try parse(Self.yaml.replacingOccurrences(of: "herald_return: local", with: "herald_return: fiber"))
        deployed.name = "deployed"
        let fiber = try IonPhotonLabModel(config: deployed)
        #expect(abs(fiber.attemptPeriod.inSeconds - expected - 50_470 * 1.468 / 299_792_458.0) < 2e-12)
        // The chain: 0.41 source × 0.5 coupling × 0.25 converter × 0.104 fiber × 0.10 detector × the window's share (the
        // 100 ps jitter puts 0.57 % of clicks before a window that opens at the expected arrival).
        let chain = 0.41 * 0.5 * 0.25 * pow(10, -0.195 * 5.047) * 0.10
        #expect(abs(lab.model.photonPerMode.value / (chain * lab.chain.windowAcceptance.value) - 1) < 1e-9)
        #expect(abs(lab.chain.windowAcceptance.value - 0.9943) < 5e-4)
    }
}
