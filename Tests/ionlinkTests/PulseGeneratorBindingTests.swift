import Foundation
import Logging
import Testing
import IonLink
import IonLinkAssembly
import IonLinkPhysics
import IonLinkSequencer
@testable import IonLinkMocks

/// `hub.pulses` bound to a DG645 or a Quantum Composers 9520 (their emulators on virtual serial ports):
/// the run programs the lab's attempt onto the outputs before the first burst and heralds as it does
/// simulated; bad output maps are refused with the binding's line.
@Suite(.serialized) struct PulseGeneratorBindingTests {
    let logger = Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }

    func config(_ binding: String, encoding: String? = nil, edit: (String) -> String = { $0 }) throws -> LabConfig {
        var yaml = edit(try LabConfig.defaultYAML())
        if encoding == "time-bin" {
            yaml = yaml.replacingOccurrences(of: "encoding: polarization", with: "encoding: time-bin")
                .replacingOccurrences(of: "channels: { c0: 0, c1: 1, d0: 2, d1: 3 }", with: "channels: { c0: 0, c1: 0, d0: 1, d1: 1 }")
        }
        return try LabBuilder(logger: logger).parse(yaml: yaml + "\ndevices:\n  hub.pulses: " + binding + "\n")
    }

    @Test(arguments: ["polarization", "time-bin"]) func aRunProgramsTheAttemptOntoTheDG645(_ encoding: String) async throws {
        let emulator = SRSDG645Emulator(serialNumber: "004242")
        let port = try EmulatedSerialPort(testbed: try VirtualSerialTestbed.shared(), usb: .bench("PULSE-\(encoding)"), emulator: emulator)
        let c = try config("{ model: dg645, port: \"0403:6001:PULSE-\(encoding)\", detect_output: EF, excite_output: \"CD,GH\" }",
                           encoding: encoding)
        let assembled = try await LabBuilder(logger: logger).build(c, seed: 2)
        #expect(assembled.instruments[Role(hub: .pulses)] == "dg645")
        let session = try await RunSession.prepare(assembled, request: RunRequest(seed: 2, stop: StopCondition(heralds: 40)), logger: logger)
        let summary = try await session.run(observers: [])
        #expect(summary.heralds == 40)
        #expect(summary.instruments["hub.pulses"]?.contains("DG645 s/n 004242") == true)

        // The attempt as the lab model makes it, edge for edge on the 5 ps grid.
        let attempt = assembled.model.attemptSequence
        var start: Int64 = 0, excites = 0
        for step in attempt.steps {
            let width = step.duration.inPicoseconds
            switch step.role {
            case .pump: #expect(emulator.pulse(output: 1) == (start, width), "pump on AB")
            case .excite:
                #expect(emulator.pulse(output: excites == 0 ? 2 : 4).start == start, "excitation \(excites + 1)")
                excites += 1
            case .detect: #expect(abs(emulator.pulse(output: 3).start - start) <= 5, "detection gate on EF")
            default: break
            }
            start += width
        }
        #expect(excites == (encoding == "time-bin" ? 2 : 1))
        if encoding == "polarization" { #expect(emulator.pulse(output: 4).width == 0, "GH idle") }
        #expect(emulator.burstMode == 1 && emulator.burstPeriod % 10_000 == 0 && emulator.burstPeriod >= attempt.period.inPicoseconds)
        withExtendedLifetime(port) {}
    }

    /// The second model of the kind, bound through its catalog entry alone.
    @Test func aRunProgramsTheAttemptOntoAQuantumComposers9520() async throws {
        let emulator = QuantumComposers9520Emulator(serialNumber: "07777")
        let port = try EmulatedSerialPort(testbed: try VirtualSerialTestbed.shared(), usb: .bench("PULSE-QC"), emulator: emulator)
        let c = try config("{ model: qc9520, port: \"0403:6001:PULSE-QC\", excite_output: C }")
        let assembled = try await LabBuilder(logger: logger).build(c, seed: 3)
        let session = try await RunSession.prepare(assembled, request: RunRequest(seed: 3, stop: StopCondition(heralds: 30)), logger: logger)
        let summary = try await session.run(observers: [])
        #expect(summary.heralds == 30 && summary.instruments["hub.pulses"]?.contains("9524 s/n 07777") == true)
        let pump = assembled.model.attemptSequence.steps[0].duration.inPicoseconds
        #expect(emulator.channels[0].enabled && emulator.channels[0].width == pump, "pump on A")
        #expect(emulator.channels[2].enabled && emulator.channels[2].delay == pump, "excitation on C, right after")
        #expect(!emulator.channels[1].enabled, "B unused")
        #expect(emulator.systemMode == "BURS")
        withExtendedLifetime(port) {}
    }

    @Test func badOutputMapsAreRefused() async throws {
        #expect(throws: ConfigError.self) { _ = try config("{ model: dg645, port: /dev/ttyUSB0, gate: AB }") }
        for (binding, why) in [("{ model: dg645, port: /dev/ttyUSB0, pump_output: XY }", "AB, CD, EF or GH"),
                               ("{ model: dg645, port: /dev/ttyUSB0, excite_output: \"CD,CD\" }", "twice"),
                               ("{ model: dg645, port: /dev/ttyUSB0, baud: 1200 }", "baud")] {
            do {
                _ = try await LabBuilder(logger: logger).build(try config(binding), seed: 1)
                Issue.record("\(binding) accepted")
            } catch let e as BindingError {
                #expect(e.description.contains(why) && e.description.contains("devices.hub.pulses"), "\(e)")
            }
        }
    }

    /// A lab whose attempt the bound generator cannot produce is refused when the lab is built, naming the
    /// binding, before the port is opened (the port here does not exist: its error would come first).
    @Test func anAttemptTheGeneratorCannotProduceIsRefusedAtConfigTime() async throws {
        let cases: [(String, (String) -> String, String)] = [
            // 100 ps of excitation: below the 9520's 250 ps edge grid.
            ("{ model: qc9520, port: /dev/ttyNOPE9 }", { $0.replacingOccurrences(of: "excite_ns: 50", with: "excite_ns: 0.1") }, "excite"),
            // Time-bin excites twice: a single excitation output cannot.
            ("{ model: dg645, port: /dev/ttyNOPE9, excite_output: CD }", { $0 }, "excite"),
        ]
        for (i, (binding, edit, why)) in cases.enumerated() {
            do {
                _ = try await LabBuilder(logger: logger).build(try config(binding, encoding: i == 1 ? "time-bin" : nil, edit: edit), seed: 1)
                Issue.record("\(binding) accepted")
            } catch let e as BindingError {
                #expect(e.description.contains("cannot be produced") && e.description.contains(why)
                        && e.description.contains("devices.hub.pulses") && !e.description.contains("ttyNOPE9: "), "\(e)")
            }
        }
    }
}
