import Foundation
import Testing
import IonLink
@testable import IonLinkMocks

extension USBHIL {
    /// A serial client that finds its port by pyvisa's resource scan, which opens every USB device on the testbed
    /// (pyvisa-py's pyusb backend): it runs with the virtual-USB tests, one at a time. Beside a USB test it once
    /// aborted inside umockdev's preload ("Error communicating with ioctl socket, received EOF") as the other
    /// test's device went away mid-scan.
    @Suite struct OBISScanInteropTests {
        /// `obis-laser-controller` (B. Carlsen, PyPI 0.0.1, on `easy-scpi` 0.1.7 and pyvisa-py): it finds the port among
        /// pyvisa's resources (pyserial's `comports()` on the virtual USB device), `*IDN?`, handshaking on, the laser's
        /// wavelength, rated, nominal, maximum and minimum powers, a power set and read back, emission on and off,
        /// its own refusal of a power above the maximum, and disconnect (which turns the laser off).
        @Test func obisLaserControllerDrivesTheOBIS() async throws {
            let interop = SerialClientInteropTests()
            let p = try interop.port(CoherentOBISEmulator(now: SerialClientInteropTests.fastClock), 0x0D4D, 0x003D, "INTEROP-OBIS2")
            let script = """
                import sys
                from obis_laser_controller import ObisLaserController
                las = ObisLaserController(sys.argv[1])
                las.connect()
                print(las.id)
                print(las.wavelength, las.power_rating, las.nominal_power, las.max_power, las.min_power)
                las.set_power(0.05)
                las.on()
                print(las.enabled, round(las.power, 6))
                try:
                    las.set_power(1.0)
                except ValueError as e:
                    print("refused:", e)
                las.off()
                print(las.enabled)
                las.disconnect()
                """
            try await interop.check("obis-laser-controller", script, on: p, prints: [
                "Coherent, Inc - OBIS 488nm LX 100mW - V3.0.1 - Mar 15 2019",
                "488.0 0.1 0.1 0.11 0.0",
                "True 0.05",
                "refused: Power is too high.",
                "False",
            ])
        }
    }
}
