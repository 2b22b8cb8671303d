import Foundation
import Testing
import IonLink
@testable import IonLinkMocks

/// A third-party USBTMC host stack (pyvisa with pyvisa-py on pyusb/libusb, from PyPI) against the
/// USBTMC emulator: the emulator answers an independent client, not only IonLink's driver.
extension USBHIL {
    @Suite(.serialized) struct PyVISAInteropTests {
        @Test func pyvisaPyTalksToTheEmulator() throws {
            let serial = "M00PYVISA"
            let usb = USBTMCDeviceEmulator(vendorID: 0x1313, productID: 0x804A, manufacturer: "Thorlabs", product: "ITC4001",
                                           serialNumber: serial, instrument: ThorlabsITC4001Emulator(serialNumber: serial))
            let testbed = try VirtualSerialTestbed.shared()
            let device = try VirtualUSBDevice(testbed: testbed, address: USBHIL.nextAddress.next(), vendorID: 0x1313,
                                              productID: 0x804A, serialNumber: serial, emulator: usb)
            let script = """
                import sys, warnings
                warnings.simplefilter("ignore")
                import pyvisa
                rm = pyvisa.ResourceManager("@py")
                inst = rm.open_resource("USB0::0x1313::0x804A::M00PYVISA::INSTR")
                inst.timeout = 2000
                print(inst.query("*IDN?").strip())
                inst.write("SOUR:CURR 0.0625;OUTP ON")
                print(inst.query("OUTP?;:SOUR:CURR?").strip())
                print(inst.query("SYST:ERR?").strip())
                inst.write("SOUR:CURR 5")
                print(inst.query("SYST:ERR?").strip())
                print(inst.query("MEAS:POW2?").strip())
                """
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", "-c", script]
            p.environment = ProcessInfo.processInfo.environment.merging(testbed.environment) { _, new in new }
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "pyvisa failed (pip install -r Tests/requirements.txt?): \(errors)")
            #expect(text.split(separator: "\n").map(String.init) == [
                "Thorlabs,ITC4001,M00PYVISA,1.8.0",
                "1;6.250000E-02",
                "0,\"No error\"",
                "-222,\"Data out of range\"",
                "2.600000E-02",      // (62.5 mA − 30 mA) × 0.8 W/A
            ])
            withExtendedLifetime(device) {}
        }
    }
}
