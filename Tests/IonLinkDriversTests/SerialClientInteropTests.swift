import Foundation
import Testing
import IonLink
@testable import IonLinkMocks

/// Public Python client libraries for the serial instruments (from PyPI, unmodified) against the emulators,
/// through pyserial on the umockdev virtual port, as a lab's existing script would drive the instrument:
/// identification, setpoints, read-back, the client's own refusal path, and closing.
@Suite(.serialized) struct SerialClientInteropTests {
    func port(_ emulator: any InstrumentEmulator, _ vendor: UInt16, _ product: UInt16, _ serial: String) throws -> EmulatedSerialPort {
        try HIL.emulate(emulator, usb: VirtualUSBIdentity(vendorID: vendor, productID: product, serialNumber: serial,
                                                         manufacturer: "interop", product: serial))
    }

    /// `windfreak` (C. Hahn, PyPI 0.3.0): its model detection, each channel's setpoints and read-back, every
    /// setting its getters read (reference, trigger, calibration, compensation, VGA DAC, spacing, modulation
    /// switches: each was a 10 s timeout before the emulator answered them), its `init()` and its own range check.
    @Test func windfreakDrivesTheSynthHD() async throws {
        let p = try port(WindfreakSynthHDEmulator(serialNumber: "4321"), 0x16D0, 0x0557, "INTEROP-WF")
        let script = """
            import sys
            from windfreak import SynthHD
            s = SynthHD(sys.argv[1])
            print(s.model, s.serial_number)
            ch = s[1]
            ch.frequency = 1.5e9; ch.power = -5.0; ch.phase = 90.0; ch.enable = True
            print(ch.frequency, ch.power, ch.phase, ch.enable, s[0].enable)
            print(s.reference_mode, s.trigger_mode, ch.calibrated, ch.temp_compensation_mode, ch.vga_dac, ch.channel_spacing)
            print(s.reference_frequency, s.sweep_enable, s.am_enable, s.pulse_mod_enable, s.fm_enable, ch.lock_status)
            s.init()
            print(ch.frequency, ch.power, ch.enable)
            try:
                ch.frequency = 20e9
            except ValueError:
                print("refused")
            s.close()
            """
        let (status, text, errors) = try await PythonPeer.run(script, arguments: [p.devnode],
                                                                  environment: try VirtualSerialTestbed.shared().environment)
        #expect(status == 0, "windfreak failed (pip install -r Tests/requirements.txt?): \(errors)")
        #expect(text.split(separator: "\n").map(String.init) == [
            "SynthHD v2 4321",
            "1500000000.0 -5.0 90.0 True False",
            "internal 27mhz disabled True 10 sec 0 100.0",
            "27000000.0 False False False False True",
            "10000000.0 -70.0 False",
            "refused",
        ])
    }

    /// `srsinst.dg645` (Stanford Research Systems' own driver, PyPI 0.1.0): identification, a delay set and
    /// read back in the DLAY format, the trigger, the burst count, an output's amplitude and the error queue.
    @Test func srsinstDrivesTheDG645() async throws {
        let emulator = SRSDG645Emulator()
        let p = try port(emulator, 0x0403, 0x6001, "INTEROP-DG")
        let script = """
            import sys
            from srsinst.dg645 import DG645
            dg = DG645('serial', sys.argv[1], 9600)
            print(dg.check_id())
            dg.delays.delay['B']['A'] = 1e-6
            print(str(dg.delays.delay['B']))
            dg.trigger.trigger_source = 'internal'
            dg.trigger.trigger_rate = 1000.0
            print(dg.trigger.trigger_source, dg.trigger.trigger_rate)
            dg.burst.burst_count = 10
            print(dg.burst.burst_count)
            dg.outputs.amplitude['AB'] = 3.5
            print(dg.outputs.amplitude['AB'])
            print(dg.query_text('LERR?').strip())
            dg.disconnect()
            """
        let (status, text, errors) = try await PythonPeer.run(script, arguments: [p.devnode],
                                                                  environment: try VirtualSerialTestbed.shared().environment)
        #expect(status == 0, "srsinst.dg645 failed: \(errors)\nit sent: \(p.receivedText)")
        #expect(text.split(separator: "\n").map(String.init) == [
            "('DG645', 's/n008011', 'ver1.19.118')",
            "2,+0.000001000000",
            "internal 1000.0",
            "10",
            "3.5",
            "0",
        ], "it sent: \(p.receivedText)")
    }
}
