import Foundation
import Testing

/// A node's converter oven bound to a TC200 (emulated by `ionlink emulate --lab`): the run brings it to the stage's
/// setpoint, waits for it, names it among its instruments; a binding that cannot work is refused before any port opens.
@Suite(.serialized) struct ConverterOvenRunTests {
    /// docs/labs/telecom-10km.yaml in its time-bin form on three tagger inputs, node A's oven bound to a TC200.
    func lab(binding: String = #"A.converter_oven: { model: tc200, port: "0403:6001:EMU-TC200-1" }"#,
             edit: (String) -> String = { $0 }) throws -> URL {
        let text = try String(contentsOf: CLI.repo.appendingPathComponent("docs/labs/telecom-10km.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "encoding: polarization", with: "encoding: time-bin")
            .replacingOccurrences(of: "channels: { c0: 0, c1: 1, d0: 2, d1: 3 }", with: "channels: { c0: 0, c1: 0, d0: 1, d1: 1 }")
            .replacingOccurrences(of: "sync_channel: 4", with: "sync_channel: 2")
        let url = try CLI.temporaryDirectory().appendingPathComponent("lab.yaml")
        try (edit(text) + "devices:\n  \(binding)\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func theRunWaitsForTheOvenAndNamesIt() async throws {
        let lab = try lab()
        let emulated = try await EmulatedLabProcess.start(lab: lab, duration: "120s")
        defer { emulated.stop() }
        #expect(emulated.printed.contains("tc200\t/dev/ttyUSB"))
        let r = try await CLI.run(CLI.ionlink, ["run", "--config", lab.path, "--attempts", "200000", "--no-record", "--json"],
                                  adding: emulated.environment)
        try #require(r.status == 0, "\(r.stderr)")
        let s = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(s["attempts"] as? Int == 200_000)
        let instruments = try #require(s["instruments"] as? [String: String])
        #expect(instruments["nodeA.converter_oven"]?.contains("TC200") == true, "\(instruments)")
        #expect(s["attempt_limited_by"] as? String == "herald round trip")
    }

    @Test func anOvenThatCannotSettleInTimeIsAnError() async throws {
        let lab = try lab(binding: #"A.converter_oven: { model: tc200, port: "0403:6001:EMU-TC200-1", settle_timeout_s: 0 }"#)
        let emulated = try await EmulatedLabProcess.start(lab: lab, duration: "60s")
        defer { emulated.stop() }
        let r = try await CLI.run(CLI.ionlink, ["run", "--config", lab.path, "--attempts", "1000", "--no-record"], adding: emulated.environment)
        #expect(r.status != 0)
        #expect(r.stderr.contains("settle_timeout_s") && r.stderr.contains("A.converter_oven"), "\(r.stderr)")
    }

    @Test func anOvenBoundWhereNoStageHasOneIsRefusedWithItsLine() async throws {
        let lab = try lab { $0.replacingOccurrences(of: "          oven: { phase_matching_c: 84.2, acceptance_fwhm_c: 1.5, setpoint_c: 84.2, "
                                                          + "max_setpoint_c: 120 }\n", with: "") }
        let r = try await CLI.ionlink(["run", "--config", lab.path, "--attempts", "1000", "--no-record"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("devices.A.converter_oven") && r.stderr.contains("has an oven"), "\(r.stderr)")
    }

    /// The converter's pump bound to a laser (an emulated Cobolt, 100 mW, standing in for the pump): brought to the
    /// stage's pump power with emission on and named; a pump power the laser cannot reach is refused at binding.
    @Test func thePumpIsALaserRoleLimitedByTheStage() async throws {
        func pumped(_ power: Int) -> (String) -> String {
            { $0.replacingOccurrences(of: "pump_power_mw: 800\n          max_pump_power_mw: 1000", with: "pump_power_mw: \(power)\n          "
                                          + "max_pump_power_mw: 200")
                .replacingOccurrences(of: "peak_pump_power_mw: 800", with: "peak_pump_power_mw: \(power)") }
        }
        let binding = #"A.converter_pump: { model: cobolt, port: "0403:6001:EMU-COBOLT-1" }"#
        let lab = try lab(binding: binding, edit: pumped(80))
        let emulated = try await EmulatedLabProcess.start(lab: lab, duration: "120s")
        defer { emulated.stop() }
        let r = try await CLI.run(CLI.ionlink, ["run", "--config", lab.path, "--attempts", "100000", "--no-record", "--json"],
                                  adding: emulated.environment)
        try #require(r.status == 0, "\(r.stderr)")
        let s = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let instruments = try #require(s["instruments"] as? [String: String])
        #expect(instruments["nodeA.converter_pump"]?.contains("Cobolt") == true, "\(instruments)")
        // 150 mW asked of a 100 mW laser (the lab allows 200): refused by the driver before sending, at binding.
        let hot = try self.lab(binding: binding, edit: pumped(150))
        let refused = try await CLI.run(CLI.ionlink, ["run", "--config", hot.path, "--attempts", "1000", "--no-record"],
                                        adding: emulated.environment)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("A.converter_pump") && refused.stderr.contains("0.15 W outside") && refused.stderr.contains("not sent"),
               "\(refused.stderr)")
    }
}
