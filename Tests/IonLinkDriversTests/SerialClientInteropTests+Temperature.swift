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
}
