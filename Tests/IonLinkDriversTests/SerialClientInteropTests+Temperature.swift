import Foundation
import Testing
import IonLink
@testable import IonLinkMocks

/// Public Python clients (from PyPI, unmodified) for the converter's oven controller.
extension SerialClientInteropTests {
    /// `qmi` (QuTech, PyPI 0.54.2), `Thorlabs_TC200` over its serial transport: identification (`id?` split into
    /// vendor, model, version), a setpoint and its read-back, the heater enabled through its status byte (`stat?`,
    /// hexadecimal, ` > `) and `ens`, the power and temperature limits and PID gains set and read back, its own
    /// refusal of a setpoint past 200 °C, the controller's refusal of one past the lowered `tmax` (which QMI reads
    /// as `CMD_ARG_RANGE_ERR`), the heater disabled, and close.
    @Test func qmiDrivesTheTC200() async throws {
        let p = try port(ThorlabsTC200Emulator(timeConstant: 0.05), 0x0403, 0x6001, "INTEROP-TC200-QMI")
        let script = """
            import sys, time
            import qmi
            from qmi.core.exceptions import QMI_UsageException, QMI_InstrumentException
            from qmi.instruments.thorlabs.tc200 import Thorlabs_TC200
            qmi.start("interop_tc200", init_logging=False)
            tc = qmi.make_instrument("tc200", Thorlabs_TC200, "serial:" + sys.argv[1] + ":baudrate=115200")
            tc.open()
            idn = tc.get_idn()
            print(idn.vendor, idn.model, idn.version)
            tc.set_temperature(45.5)
            print(tc.get_temperature_setpoint(), tc.is_enabled())
            tc.enable()
            time.sleep(0.4)
            print(tc.is_enabled(), tc.has_alarm(), round(tc.get_temperature_actual()))
            tc.set_power_limit(10.0)
            tc.set_temperature_limit(100.0)
            tc.set_pid_gains(120, 3, 7)
            print(tc.get_power_limit(), tc.get_temperature_limit(), tc.get_pid_gains())
            try:
                tc.set_temperature(250.0)
            except QMI_UsageException as e:
                print("refused:", type(e).__name__)
            try:
                tc.set_temperature(150.0)
            except QMI_InstrumentException as e:
                print("controller refused:", e)
            print(tc.get_temperature_setpoint())
            tc.disable()
            print(tc.is_enabled())
            tc.close()
            qmi.stop()
            """
        try await check("qmi Thorlabs_TC200", script, on: p, prints: [
            "THORLABS TC200 2.0",
            "45.5 False",
            "True False 46",
            "10.0 100.0 (120, 3, 7)",
            "refused: QMI_UsageException",
            "controller refused: Setpoint not accepted: 150.0",
            "45.5",
            "False",
        ])
    }

    /// `instrumentkit` (PyPI 0.6.0, `instruments.thorlabs.TC200`, installed with `--no-deps`): `*idn?`, the setpoint
    /// set, the load's temperature (the heater off: ambient), the heater enabled and disabled through `stat?` and `ens`,
    /// the temperature and power limits, PID gains set and read back, the sensor and its β, and its own refusal of a
    /// setpoint past `tmax`. Its `tset?` getter cannot read the controller's `30.0 Celsius` (it strips ` C` and is left
    /// with `elsius`, InstrumentKit issue #331, as on a real unit), and it reads the status byte as decimal where the
    /// guide and the other clients read hexadecimal, so its mode and unit getters are not asked.
    @Test func instrumentkitDrivesTheTC200() async throws {
        let p = try port(ThorlabsTC200Emulator(), 0x0403, 0x6001, "INTEROP-TC200-IK")
        let script = """
            import sys
            import instruments as ik
            tc = ik.thorlabs.TC200.open_serial(sys.argv[1], 115200)
            print(tc.name())
            try:
                tc.temperature_set
            except ValueError as e:
                print("client bug:", e)
            tc.temperature_set = 45.5
            print(tc.temperature, tc.enable)
            tc.enable = True
            print(tc.enable)
            print(tc.max_temperature, tc.max_power)
            tc.p = 120; tc.i = 3; tc.d = 7
            print(tc.pid, tc.sensor, tc.beta)
            try:
                tc.temperature_set = 250
            except ValueError as e:
                print("refused:", e)
            tc.enable = False
            print(tc.enable)
            """
        try await check("instrumentkit TC200", script, on: p, prints: [
            "THORLABS TC200 VERSION 2.0",
            "client bug: could not convert string to float: '20.0elsius'",
            "24.0 degC False",
            "True",
            "200.0 degC 15.0 W",
            "[120, 3, 7] Sensor.ntc10k 5600",
            "refused: Temperature set is out of range.",
            "False",
        ])
    }
}
