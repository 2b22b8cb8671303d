import Foundation
import Logging
import Testing
import IonLink
import IonLinkDrivers
import IonLinkPhysics
import IonLinkSequencer
import IonLinkSimulation
import IonLinkAssembly
@testable import IonLinkMocks
@testable import ionlink

/// `devices:` in the lab YAML: heralding runs through real drivers talking to emulators on virtual
/// serial ports (photons and tags stay simulated).
@Suite(.serialized) struct DeviceBindingTests {
    let logger = Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }


    func config(devices: String) throws -> LabConfig {
        let text = try LabConfig.defaultYAML() + "\ndevices:\n" + devices
        return try LabBuilder(logger: logger).parse(yaml: text)
    }

    @Test func heraldingRunsThroughEmulatedInstruments() async throws {
        let testbed = try VirtualSerialTestbed.shared()
        let obis = CoherentOBISEmulator()
        let ports = [
            try EmulatedSerialPort(testbed: testbed, usb: .bench("BIND-OBIS"), emulator: obis),
            try EmulatedSerialPort(testbed: testbed, usb: .bench("BIND-COBOLT"), emulator: Cobolt0601Emulator()),
            try EmulatedSerialPort(testbed: testbed, usb: .bench("BIND-STAHL"), emulator: StahlBSEmulator()),
            try EmulatedSerialPort(testbed: testbed, usb: .bench("BIND-RF"), emulator: WindfreakSynthHDEmulator()),
            try EmulatedSerialPort(testbed: testbed, usb: .bench("BIND-SIM"),
                                   emulator: SIM900Emulator.snspdBiasRack(circuits: (0..<4).map { _ in SNSPDCircuit() })),
        ]
        let c = try config(devices: """
              A.excitation: { model: obis, port: "0403:6001:BIND-OBIS" }
              B.cooling: { model: cobolt, port: "0403:6001:BIND-COBOLT" }
              A.trap_dc: { model: stahl, port: "0403:6001:BIND-STAHL", first_channel: "3" }
              B.trap_rf: { model: synthhd, port: "0403:6001:BIND-RF", channel: "1", volts_per_sqrt_mw: "25" }
              hub.detector_bias: { model: sim900, port: "0403:6001:BIND-SIM", source_ports: "1,2,3,4", voltmeter_port: "7" }
            """)
        let assembled = try await LabBuilder(logger: logger).build(c, seed: 4)
        let sim = try #require(assembled.simulation), lab = assembled.lab
        #expect(lab.detectors.count == 4 && lab.detectors.allSatisfy { $0 is SNSPDBiasChain })
        #expect(try await lab.nodes[0].excitation.powerSetpoint() == .milliwatts(2), "brought to the lab's setpoint")
        try await lab.nodes[0].trap.setElectrode(0, to: .volts(-1.5))
        #expect(abs(try await lab.nodes[0].trap.electrodeVoltage(0).volts + 1.5) < 2e-3)
        #expect(ports[2].receivedText.contains("BS123 CH03 0.35000"), "electrode 0 is the supply's channel 3")
        // 200 V from κ = 25 V/√mW is 64 mW = 18.062 dBm at the trap's 20 MHz, on channel 1.
        #expect(ports[3].receivedText.contains("C1f20.00000000") && ports[3].receivedText.contains("C1W18.062"))
        let rf = try await lab.nodes[1].trap.rf()
        #expect(abs(rf.amplitude.volts - 200) < 0.01 && abs(rf.frequency.megahertz - 20) < 1e-9)

        let r = try await HeraldingSequencer(lab: lab, settings: SequencerSettings(timing: c.timing), logger: logger)
            .run(until: StopCondition(heralds: 100, labTime: .seconds(5)))
        // Node A emits only if the OBIS's emission reached the simulated world: 100 heralds in < 5 s of lab time.
        #expect(r.heralds == 100)
        #expect(ports[0].receivedText.contains("SOUR:AM:STAT ON"), "the OBIS was switched on by the sequencer")
        #expect(ports[4].receivedText.contains("OPON"), "the detectors were biased on")
        #expect(sim.world.withState { !$0.excitationOn[0] }, "switched off at the end, in the simulation too")
        #expect(ports[0].receivedText.hasSuffix("SOUR:AM:STAT OFF\r\nSYST:LOCK?\r\nSYST:FAUL?\r\nSOUR:AM:STAT?\r\n"))
        withExtendedLifetime(ports) {}
    }

    /// Every limit in the lab YAML reaches the driver bound to its role, and a setpoint past it is
    /// refused with nothing sent to the instrument.
    @Test func labLimitsAreEnforcedInEveryBoundDriverBeforeSending() async throws {
        let testbed = try VirtualSerialTestbed.shared()
        let ports = [
            try EmulatedSerialPort(testbed: testbed, usb: .bench("LIM-OBIS"), emulator: CoherentOBISEmulator()),
            try EmulatedSerialPort(testbed: testbed, usb: .bench("LIM-COBOLT"), emulator: Cobolt0601Emulator()),
            try EmulatedSerialPort(testbed: testbed, usb: .bench("LIM-IBEAM"), emulator: TopticaIBeamSmartEmulator()),
            try EmulatedSerialPort(testbed: testbed, usb: .bench("LIM-STAHL"), emulator: StahlBSEmulator()),
            try EmulatedSerialPort(testbed: testbed, usb: .bench("LIM-RF"), emulator: WindfreakSynthHDEmulator()),
            try EmulatedSerialPort(testbed: testbed, usb: .bench("LIM-SIM"),
                                   emulator: SIM900Emulator.snspdBiasRack(circuits: (0..<4).map { _ in SNSPDCircuit() })),
        ]
        var yaml = try LabConfig.defaultYAML() + """

            devices:
              A.excitation: { model: obis, port: "0403:6001:LIM-OBIS" }
              B.cooling: { model: cobolt, port: "0403:6001:LIM-COBOLT" }
              B.excitation: { model: ibeam, port: "0403:6001:LIM-IBEAM" }
              A.trap_dc: { model: stahl, port: "0403:6001:LIM-STAHL" }
              B.trap_rf: { model: synthhd, port: "0403:6001:LIM-RF", volts_per_sqrt_mw: "25" }
              hub.detector_bias: { model: sim900, port: "0403:6001:LIM-SIM" }

            """
        for (key, value) in [("nodes.A.lasers.excitation.max_power_mw", "5"), ("nodes.B.lasers.cooling.max_power_mw", "0.5"),
                             ("nodes.B.lasers.excitation.max_power_mw", "4"), ("nodes.A.trap.electrode_limit_v", "3"),
                             ("nodes.B.trap.max_rf_amplitude_v", "250"), ("hub.detector.max_bias_ua", "15")] {
            yaml = try LabConfig.overriding(yaml: yaml, key: key, value: value)
        }
        let c = try LabConfig.parse(yaml: yaml, speciesKeys: Species.presets.keys.sorted())
        let lab = try await LabBuilder(logger: logger).build(c, seed: 4).lab
        for port in ports { port.clearReceived() }

        let a = lab.nodes[0], b = lab.nodes[1]
        #expect(a.excitation.powerLimit.upper == .milliwatts(5) && b.cooling.powerLimit.upper == .milliwatts(0.5)
                && b.excitation.powerLimit.upper == .milliwatts(4))
        await #expect(throws: LaserError.self) { try await a.excitation.setPower(.milliwatts(5.01)) }
        await #expect(throws: LaserError.self) { try await b.cooling.setPower(.milliwatts(0.6)) }
        await #expect(throws: LaserError.self) { try await b.excitation.setPower(.milliwatts(4.5)) }
        #expect(a.trap.electrodeLimit.upper == .volts(3))
        await #expect(throws: TrapControllerError.self) { try await a.trap.setElectrode(0, to: .volts(-3.2)) }
        #expect(b.trap.rfAmplitudeLimit.upper == .volts(250))
        await #expect(throws: TrapControllerError.self) {
            try await b.trap.setRF(RFDrive(frequency: .megahertz(20), amplitude: .volts(251)))
        }
        #expect(lab.detectors.allSatisfy { $0.biasLimit.upper == .microamperes(15) })
        for d in lab.detectors {
            await #expect(throws: PhotonDetectorError.self) { try await d.setBias(.microamperes(15.5)) }
        }
        for port in ports {
            #expect(port.receivedBytes.isEmpty, "nothing reached \(port.devnode): \(port.receivedText.debugDescription)")
        }
        // Within the limits the same calls go out.
        try await b.trap.setRF(RFDrive(frequency: .megahertz(20), amplitude: .volts(240)))
        #expect(ports[4].receivedText.contains("W19.645"), "240 V at κ = 25 is 92.16 mW = 19.645 dBm")
        withExtendedLifetime(ports) {}
    }

    @Test func badBindingsAreTypedErrors() async throws {
        #expect(throws: ConfigError.self) { _ = try config(devices: "  A.excitation: { model: stahl, port: /dev/ttyUSB0 }\n") }
        #expect(throws: ConfigError.self) { _ = try config(devices: "  C.excitation: { model: obis, port: /dev/ttyUSB0 }\n") }
        #expect(throws: ConfigError.self) { _ = try config(devices: "  A.excitation: { model: obis, port: /dev/x, speed: 9 }\n") }
        let c = try config(devices: "  A.excitation: { model: obis, port: \"not a port\" }\n")
        await #expect(throws: BindingError.self) { _ = try await LabBuilder(logger: logger).build(c, seed: 1) }
        // A node the virtual testbed never makes (it numbers its ports from 0 up, a hundred-odd in one run).
        let missing = try config(devices: "  A.excitation: { model: obis, port: /dev/ttyUSB65000 }\n")
        do {
            _ = try await LabBuilder(logger: logger).build(missing, seed: 1)
            Issue.record("bound to a missing port")
        } catch let e as BindingError {
            #expect(e.description.contains("devices.A.excitation"))
            #expect(e.description.contains("disconnected"))
        }
    }
}
