import Foundation
import Testing
import IonLink
@testable import IonLinkMocks

/// Public Python clients (from PyPI, unmodified) for the lasers: `microscope` and `obis-laser-controller` for the
/// OBIS, `microscope` and QMI for the Cobolt 06-01, `pymeasure` and `pylablib` for the iBeam smart. The emulators run on a clock
/// a thousand times faster than the wall clock, so their power servos (τ = 20 ms) have settled by each read-back.
extension SerialClientInteropTests {
    static func fastClock() -> Double { ProcessInfo.processInfo.systemUptime * 1000 }

    /// `microscope` (Micron Oxford's, PyPI 0.7.0), `microscope.lights.obis.ObisLaser`: its opening queries (model,
    /// serial number, CDRH, `SOUR:TEMP:APR?`, `*TST?`, autostart, the power limit), handshaking on, emission on, a
    /// power set as a fraction of the limit and read back, its status list, its own refusal of a software trigger
    /// and of an edge trigger, emission off, and shutdown.
    @Test func microscopeDrivesTheOBIS() async throws {
        let p = try port(CoherentOBISEmulator(now: Self.fastClock), 0x0D4D, 0x003D, "INTEROP-OBIS")
        let script = """
            import sys, microscope
            from microscope.lights.obis import ObisLaser
            las = ObisLaser(sys.argv[1])
            print(las._max_power_mw)
            las.enable()
            print(las.get_is_on(), las.get_is_enabled())
            las.power = 0.5
            print(round(las.power, 6), las.get_set_power())
            print(las.get_status()[:2], las.get_status()[3:5])
            try:
                las.trigger()
            except microscope.IncompatibleStateError as e:
                print("refused:", e)
            try:
                las.set_trigger(microscope.TriggerType.RISING_EDGE, microscope.TriggerMode.ONCE)
            except microscope.UnsupportedFeatureError as e:
                print("refused:", e)
            las.disable()
            print(las.get_is_on())
            las.shutdown()
            """
        try await check("microscope ObisLaser", script, on: p, prints: [
            "110.0",
            "True True",
            "0.5 0.5",
            "['Emission on? ON', 'Target power: 0.05500'] ['Status code? 00000001', 'Fault code? 00000000']",
            "refused: trigger type is not software",
            "refused: the only trigger mode supported is 'bulb'",
            "False",
        ])
    }


    /// `microscope` (PyPI 0.7.0), `microscope.lights.cobolt.CoboltLaser`: `sn?`, autostart off (`@cobas 0`), the
    /// maximum power (`gmlp?`), direct control off and autostart mode, emission on, a power set (`@cobasp`) and
    /// read back, its status list, its own refusal of an edge trigger, emission off, and shutdown.
    @Test func microscopeDrivesTheCobolt() async throws {
        let p = try port(Cobolt0601Emulator(now: Self.fastClock), 0x0403, 0x6001, "INTEROP-COBOLT")
        let script = """
            import sys, microscope
            from microscope.lights.cobolt import CoboltLaser
            las = CoboltLaser(sys.argv[1])
            print(las._max_power_mw)
            las.enable()
            print(las.get_is_on(), las.get_is_enabled())
            las.power = 0.5
            print(round(las.power, 6), las.get_set_power())
            print(las.get_status()[:4])
            try:
                las.set_trigger(microscope.TriggerType.RISING_EDGE, microscope.TriggerMode.ONCE)
            except microscope.UnsupportedFeatureError as e:
                print("refused:", e)
            print(las.disable(), las.get_is_on())
            las.shutdown()
            """
        try await check("microscope CoboltLaser", script, on: p, prints: [
            "100.0",
            "True True",
            "0.5 0.5",
            "['Emission on? 1', 'Target power: 0.0500', 'Measured power: 0.0500', 'Fault? 0']",
            "refused: the only trigger type supported is software",
            "OK False",
        ])
    }

    /// `qmi` (QuTech, PyPI 0.54.2), `qmi.instruments.cobolt.Hubner_Cobolt0601`: identification, interlock,
    /// autostart, hours and fault, constant-power mode with a setpoint and emission on, both read back with the
    /// operating mode, digital and analog modulation and the analog input's 50 Ω set and read back with modulation
    /// mode's operating mode, constant-current mode with a drive current read back, the laser's own refusal of 5 W
    /// (raised by QMI as an instrument error), emission off, and close.
    @Test func qmiDrivesTheCobolt() async throws {
        let p = try port(Cobolt0601Emulator(now: Self.fastClock), 0x0403, 0x6001, "INTEROP-COBOLT-QMI")
        let script = """
            import sys
            import qmi
            from qmi.core.exceptions import QMI_InstrumentException
            from qmi.instruments.cobolt import Hubner_Cobolt0601
            qmi.start("interop_cobolt", init_logging=False)
            las = qmi.make_instrument("cobolt", Hubner_Cobolt0601, "serial:" + sys.argv[1] + ":baudrate=115200")
            las.open()
            idn = las.get_idn()
            print(idn.vendor, idn.model, idn.serial, idn.version)
            print(las.get_interlock_state(), las.get_autostart_state(), las.get_fault())
            las.set_autostart_state(False)
            las.set_constant_power_mode()
            las.set_output_power_setpoint(0.025)
            las.set_laser_on_state(True)
            print(las.get_output_power_setpoint(), round(las.get_output_power(), 6), las.get_laser_on_state())
            print(las.get_autostart_state(), las.get_operating_mode())
            las.set_digital_modulation_state(True)
            las.set_analog_modulation_state(False)
            las.set_analog_low_impedance_state(True)
            las.set_modulation_mode()
            print(las.get_digital_modulation_state(), las.get_analog_modulation_state(),
                  las.get_analog_low_impedance_state(), las.get_operating_mode())
            las.set_drive_current(150.0)
            las.set_constant_current_mode()
            print(las.get_drive_current())
            try:
                las.set_output_power_setpoint(5.0)
            except QMI_InstrumentException as e:
                print("error:", e)
            las.set_laser_on_state(False)
            print(las.get_laser_on_state())
            las.close()
            qmi.stop()
            """
        try await check("qmi Hubner_Cobolt0601", script, on: p, prints: [
            "Cobolt 06-01 21837 None",
            "False False 0",
            "0.025 0.025 True",
            "False 2",
            "True False True 4",
            "150.0",
            "error: Expecting 'OK' response to command 'p 5.000000' but got b'Syntax error: Value is out of range.\\r\\n'",
            "False",
        ])
    }

    /// `pymeasure` (PyPI 0.16.0), `pymeasure.instruments.toptica.IBeamSmart` over pyvisa-py: its opening (`echo off`,
    /// `prom off`, `talk usual`), firmware and serial number, emission on, channel 2's power and enable set and read
    /// back, the total power, the diode and base-plate temperatures and the current, its own range refusal,
    /// pulsed then continuous mode (`en ext`, `di ext`), and shutdown (`di 0`, emission off).
    @Test func pymeasureDrivesTheIBeamSmart() async throws {
        let p = try port(TopticaIBeamSmartEmulator(now: Self.fastClock), 0x0403, 0x6001, "INTEROP-IBEAM")
        let script = """
            import sys, warnings
            warnings.simplefilter("ignore")
            from pymeasure.instruments.toptica import IBeamSmart
            las = IBeamSmart("ASRL" + sys.argv[1] + "::INSTR")
            print(las.version, las.serial)
            las.emission = True
            las.ch_2.power = 1000
            las.ch_2.enabled = True
            print(las.emission, las.ch_2.enabled, las.power, las.temp, las.system_temp, las.current)
            try:
                las.ch_2.power = 300000
            except ValueError as e:
                print("refused:", e)
            las.enable_pulsing()
            las.enable_continous()
            print(las.emission, las.ch_2.enabled)
            las.shutdown()
            print(las.emission)
            las.adapter.close()
            """
        try await check("pymeasure IBeamSmart", script, on: p, prints: [
            "iBEAM-SMART-488-S V2.05 SN: iBEAM-S-11223",
            "True True 1000.0 25.0 31.0 21.0",
            "refused: Value of 300000 is not in range [0,200000]",
            "True True",
            "False",
        ])
    }

    /// `pylablib` (A. Shkarin, PyPI 1.4.5, installed with `--no-deps`), `pylablib.devices.Toptica.TopticaIBeam`: its
    /// opening, device info (`serial`, `ver`), the channel count, emission on, channel 2's power and enable set and
    /// read back with every channel's, the total power and the current, both temperatures, the laser's own error
    /// line for an unknown command raised by the client, emission off, and close; also its current limits
    /// (`show limit`) and its raw data table (`show data`).
    @Test func pylablibDrivesTheIBeamSmart() async throws {
        let p = try port(TopticaIBeamSmartEmulator(now: Self.fastClock), 0x0403, 0x6001, "INTEROP-IBEAM2")
        let script = """
            import sys
            from pylablib.devices import Toptica
            las = Toptica.TopticaIBeam(sys.argv[1])
            print(las.get_device_info())
            print(las.get_channels_number(), las.is_enabled())
            las.enable(True)
            las.set_channel_power(2, 1e-3)
            las.enable_channel(2, True)
            print(las.is_enabled(), las.is_channel_enabled(), las.get_channel_power(), las.get_output_power())
            print(round(las.get_drive_current(), 6), las.get_temperatures())
            print(las.get_current_limits(), las.get_full_data())
            try:
                las.query("bogus")
            except Toptica.TopticaError as e:
                print("error:", e)
            las.enable(False)
            print(las.is_enabled())
            las.close()
            """
        try await check("pylablib TopticaIBeam", script, on: p, prints: [
            "TDeviceInfo(serial='iBEAM-S-11223', version='iBEAM-SMART-488-S V2.05')",
            "2 False",
            "True [False, True] [0.0, 0.001] 0.001",
            "0.0215 TTemperatures(diode=25.0, baseplate=31.2)",
            "{'ldc max': 0.15} ['Pmax: 40 mW', 'CH1, PWR: 0.000 mW', 'CH2, PWR: 1.000 mW']",
            "error: command bogus resulted in error: %SYS-E-113 Unknown command or parameter",
            "False",
        ])
    }
}
