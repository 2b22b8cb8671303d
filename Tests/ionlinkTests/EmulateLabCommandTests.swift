import Foundation
import Testing

/// `ionlink emulate --lab` serves every instrument a lab binds inside one simulated world, and
/// `ionlink run --config` of the same lab, under the environment it prints, heralds through the real
/// drivers: the README's way to try the instrument path without instruments.
@Suite(.serialized) struct EmulateLabCommandTests {
    /// README's lab: the default lab in its time-bin form on the TDC1's inputs, a DG645 and the TDC1 bound.
    static let lab = CLI.repo.appendingPathComponent("docs/labs/instrument-lab.yaml")

    /// README's example: the lab in docs/labs, emulated, then run.
    @Test func aRunHeraldsThroughTheEmulatedLab() async throws {
        let lab = Self.lab
        let emulated = try await EmulatedLabProcess.start(lab: lab)
        defer { emulated.stop() }
        let lines = emulated.printed.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("dg645\t/dev/ttyUSB") && $0.hasSuffix("0403:6001:EMU-PG") })
        #expect(lines.contains { $0.hasPrefix("tdc1\t/dev/ttyACM") && $0.hasSuffix("04d8:f8b8:EMU-TDC") })
        let r = try await CLI.run(CLI.ionlink, ["run", "--config", lab.path, "--heralds", "100", "--no-record", "--json", "--seed", "4"],
                                  adding: emulated.environment)
        try #require(r.status == 0, "\(r.stderr)")
        let s = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(s["heralds"] as? Int == 100)
        let tagger = try #require(s["tagger"] as? [String: Any])
        #expect(tagger["attempts_agree"] as? Bool == true)
        let bursts = try #require(tagger["bursts"] as? [String: Any])
        #expect(bursts["stopped_at_herald"] as? Int == 100 && bursts["unconfirmed_stops"] as? Int == 0)
        let instruments = try #require(s["instruments"] as? [String: String])
        #expect(instruments["hub.pulses"]?.contains("DG645") == true && instruments["hub.tagger"]?.contains("TDC1") == true)
    }

    @Test func aLabWhosePortsNameNoAdapterIsRefused() async throws {
        let dir = try CLI.temporaryDirectory()
        let lab = dir.appendingPathComponent("lab.yaml")
        try String(contentsOf: Self.lab, encoding: .utf8).replacingOccurrences(of: "\"0403:6001:EMU-PG\"", with: "/dev/ttyS0")
            .write(to: lab, atomically: true, encoding: .utf8)
        let r = try await CLI.ionlink(["emulate", "--lab", lab.path, "--duration", "1s"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("devices.hub.pulses") && r.stderr.contains("vendor:product:serial"), "\(r.stderr)")
    }
}
