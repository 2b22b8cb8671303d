import Testing
import IonLink
@testable import IonLinkDrivers
@testable import IonLinkMocks

@Suite(.serialized) struct SerialPortListingTests {
    @Test func virtualPortsListWithTheirUSBIdentity() throws {
        let usb = VirtualUSBIdentity(vendorID: 0x0D4D, productID: 0x003D, serialNumber: "LIST-1", manufacturer: "Coherent", product: "OBIS")
        let port = try HIL.emulate(HIL.OtherInstrument(reply: "x"), usb: usb)
        let info = try #require(SerialPortInfo.named(port.devnode))
        print(info, info.vidPid as Any, info.usbSerialNumber as Any, SerialPortInfo.all().map(\.path))
        #expect(info.vidPid == "0d4d:003d")
        #expect(info.usbSerialNumber == "LIST-1")
        #expect(SerialPortInfo.find(vendorID: 0x0D4D, productID: 0x003D, serialNumber: "LIST-1")?.path == port.devnode)
    }
}

@Suite(.serialized) struct InstrumentProbeTests {
    @Test func probeNamesTheInstrumentOrNothing() async throws {
        let obis = try HIL.emulate(CoherentOBISEmulator(), usb: HIL.ftdi)
        let id = await InstrumentProbe.identify(path: obis.devnode)
        #expect(id?.hasPrefix("Coherent, Inc - OBIS") == true)
        let silent = try HIL.emulate(HIL.OtherInstrument(reply: ""), usb: HIL.ftdi)
        silent.faults.withLock { $0.dropReplies = 10 }
        #expect(await InstrumentProbe.identify(path: silent.devnode, timeout: .milliseconds(100)) == nil)
        #expect(await InstrumentProbe.identify(path: "/dev/ttyUSB999") == nil)
    }
}
