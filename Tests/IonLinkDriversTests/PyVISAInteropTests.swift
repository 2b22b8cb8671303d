import Foundation
import Testing
import IonLink
@testable import IonLinkMocks

/// Third-party USBTMC host stacks (pyvisa with pyvisa-py, and python-usbtmc, both on pyusb/libusb, from
/// PyPI) against the USBTMC emulator: the emulator answers independent clients, not only IonLink's driver.
extension USBHIL {
    @Suite(.serialized) struct PyVISAInteropTests {
        /// `instrument` behind a USBTMC interface on a virtual USB device.
        func virtual(_ instrument: any SCPIMessageHandler, vendor: UInt16, product: UInt16, names: (String, String),
                     serial: String) throws -> (VirtualSerialTestbed, VirtualUSBDevice) {
            let usb = USBTMCDeviceEmulator(vendorID: vendor, productID: product, manufacturer: names.0, product: names.1,
                                           serialNumber: serial, instrument: instrument)
            let testbed = try VirtualSerialTestbed.shared()
            return (testbed, try VirtualUSBDevice(testbed: testbed, address: USBHIL.nextAddress.next(), vendorID: vendor,
                                                  productID: product, serialNumber: serial, emulator: usb))
        }

        /// An ITC4001 emulator on a virtual USB device with USB serial number `serial`.
        func itc(serial: String) throws -> (VirtualSerialTestbed, VirtualUSBDevice) {
            try virtual(ThorlabsITC4001Emulator(serialNumber: serial), vendor: 0x1313, product: 0x804A, names: ("Thorlabs", "ITC4001"),
                        serial: serial)
        }

        /// The start of a pyvisa script: pyvisa-py's resource manager, `resource` opened as `name` with a 2 s timeout,
        /// and its `*IDN?` printed.
        func pyvisa(opening resource: String, as name: String) -> String {
            """
            import sys, warnings
            warnings.simplefilter("ignore")
            import pyvisa
            rm = pyvisa.ResourceManager("@py")
            \(name) = rm.open_resource("\(resource)")
            \(name).timeout = 2000
            print(\(name).query("*IDN?").strip())

            """
        }

        func python(_ script: String, environment: [String: String]) async throws -> (Int32, String, String) {
            try await PythonPeer.run(script, environment: environment)
        }

        @Test func pyvisaPyTalksToTheEmulator() async throws {
            let serial = "M00PYVISA"
            let (testbed, device) = try itc(serial: serial)
            let script = pyvisa(opening: "USB0::0x1313::0x804A::M00PYVISA::INSTR", as: "inst") + """
                inst.write("SOUR:CURR 0.0625;OUTP ON")
                print(inst.query("OUTP?;:SOUR:CURR?").strip())
                print(inst.query("SYST:ERR?").strip())
                inst.write("SOUR:CURR 5")
                print(inst.query("SYST:ERR?").strip())
                print(inst.query("MEAS:POW2?").strip())
                """
            let (status, text, errors) = try await python(script, environment: testbed.environment)
            #expect(status == 0, "pyvisa failed (pip install -r Tests/requirements.txt?): \(errors)")
            #expect(text.split(separator: "\n").map(String.init) == [
                "Thorlabs,ITC4001,M00PYVISA,1.8.0",
                "1;6.250000E-02",
                "0,\"No error\"",
                "-222,\"Data out of range\"",
                "2.600000E-02",      // (62.5 mA − 30 mA) × 0.8 W/A
            ])
            withExtendedLifetime(device) {}
        }

        /// python-usbtmc (PyPI, on pyusb/libusb) reads the USB488 status byte as the specification says:
        /// READ_STATUS_BYTE with bTag 2…127, then, since the device has an interrupt-IN endpoint, the
        /// notification (0x80 | bTag, STB) from that endpoint. MAV (16) while a reply waits, 0 after.
        @Test func pythonUSBTMCReadsTheStatusByteFromTheInterruptEndpoint() async throws {
            let serial = "M00USBTMC"
            let (testbed, device) = try itc(serial: serial)
            let script = """
                import usbtmc
                inst = usbtmc.Instrument(0x1313, 0x804A, "M00USBTMC")
                inst.timeout = 2
                print(inst.ask("*IDN?").strip())
                inst.write("*IDN?")
                print(inst.read_stb(), inst.read_stb(), inst.read_stb())
                inst.read()
                print(inst.read_stb())
                inst.close()
                """
            let (status, text, errors) = try await python(script, environment: testbed.environment)
            #expect(status == 0, "python-usbtmc failed (pip install -r Tests/requirements.txt?): \(errors)")
            #expect(text.split(separator: "\n").map(String.init) == ["Thorlabs,ITC4001,M00USBTMC,1.8.0", "16 16 16", "0"])
            withExtendedLifetime(device) {}
        }
    }
}
