import Foundation
import Testing
import IonLink
@testable import IonLinkDrivers
@testable import IonLinkMocks

/// The USBTMC class driver through the real libusb against a URB-level USBTMC emulator on a umockdev
/// virtual USB device.
@Suite(.serialized) struct USBTMCDeviceTests {
    static let nextAddress = Counter()

    final class Counter: @unchecked Sendable {
        private var n = 10
        private let lock = NSLock()
        func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
    }

    func itc(serial: String) throws -> (ThorlabsITC4001Emulator, USBTMCDeviceEmulator, VirtualUSBDevice) {
        let instrument = ThorlabsITC4001Emulator(serialNumber: serial)
        let usb = USBTMCDeviceEmulator(vendorID: 0x1313, productID: 0x804A, manufacturer: "Thorlabs", product: "ITC4001",
                                       serialNumber: serial, instrument: instrument)
        let device = try VirtualUSBDevice(testbed: VirtualSerialTestbed.shared(), address: Self.nextAddress.next(), vendorID: 0x1313,
                                          productID: 0x804A, serialNumber: serial, emulator: usb)
        return (instrument, usb, device)
    }

    @Test func opensAndQueries() async throws {
        let (_, _, device) = try itc(serial: "M00000001")
        let tmc = try USBTMCDevice(vendorID: 0x1313, productID: 0x804A, serialNumber: "M00000001", timeout: .milliseconds(500))
        #expect(tmc.deviceSerial == "M00000001")
        #expect(tmc.capabilities.scpi && tmc.capabilities.termCharSupported)
        #expect(try await tmc.query("*IDN?") == "Thorlabs,ITC4001,M00000001,1.8.0")
        try await tmc.write("SOUR:CURR 0.05;OUTP ON")
        #expect(try await tmc.query("OUTP?;:SOUR:CURR?") == "1;5.000000E-02")
        #expect(try await tmc.readStatusByte() == 0)
        withExtendedLifetime(device) {}
    }
}
