import Testing
import IonLink
import IonLinkAssembly
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

    /// A CDC-ACM instrument (a SynthHD or a TDC1 has its own USB port) is `ttyACM<n>`, below its USB interface with no
    /// usb-serial level, and libserialport still finds its USB identity there; a converter's port stays `ttyUSB<n>`.
    @Test func cdcACMPortsAreTtyACMWithTheirUSBIdentity() throws {
        let usb = VirtualUSBIdentity(vendorID: 0x16D0, productID: 0x0557, serialNumber: "LIST-ACM", manufacturer: "Windfreak Technologies",
                                     product: "SynthHD", attachment: .cdcACM)
        let port = try HIL.emulate(HIL.OtherInstrument(reply: "x"), usb: usb)
        #expect(port.devnode.hasPrefix("/dev/ttyACM"), "\(port.devnode)")
        let info = try #require(SerialPortInfo.named(port.devnode))
        #expect(info.vidPid == "16d0:0557")
        #expect(info.usbSerialNumber == "LIST-ACM")
        #expect(SerialPortInfo.find(vendorID: 0x16D0, productID: 0x0557, serialNumber: "LIST-ACM")?.path == port.devnode)
        let converter = try HIL.emulate(HIL.OtherInstrument(reply: "x"), usb: HIL.ftdi)
        #expect(converter.devnode.hasPrefix("/dev/ttyUSB"), "\(converter.devnode)")
        for model in ["synthhd", "tdc1", "qc9520"] {
            guard case let .serial(identity, _)? = InstrumentCatalog.standard.model(model)?.emulator else {
                Issue.record("\(model) has no serial emulator"); continue
            }
            #expect(identity.attachment == .cdcACM, "\(model) enumerates as ttyACM, as its native USB port does")
        }
    }
}

@Suite(.serialized) struct InstrumentProbeTests {
    @Test func probeNamesTheInstrumentOrNothing() async throws {
        let obis = try HIL.emulate(CoherentOBISEmulator(), usb: HIL.ftdi)
        let id = await InstrumentCatalog.standard.identify(path: obis.devnode)
        #expect(id?.hasPrefix("Coherent, Inc - OBIS") == true)
        for (emulator, expected) in [(Cobolt0601Emulator() as any InstrumentEmulator, "Cobolt laser s/n 21837"),
                                     (TopticaIBeamSmartEmulator(), "iBEAM-SMART-488-S V2.05"), (StahlBSEmulator(), "Stahl BS123 005 16 b"),
                                     (WindfreakSynthHDEmulator(), "WFT SynthHD 1.4"),
                                     (SIM900Emulator.snspdBiasRack(), "Stanford_Research_Systems,SIM900,s/n105794,ver3.6"),
                                     (SFifteenTDC1Emulator(), "S-Fifteen Instruments,TDC1,TDC1-0021,1.2"),
                                     (ThorlabsTC200Emulator(), "THORLABS TC200 VERSION 2.0")] {
            let port = try HIL.emulate(emulator, usb: HIL.ftdi)
            let got = await InstrumentCatalog.standard.identify(path: port.devnode)
            #expect(got == expected, "\(expected): got \(got ?? "nothing")")
        }
        let silent = try HIL.emulate(HIL.OtherInstrument(reply: ""), usb: HIL.ftdi)
        silent.faults.withLock { $0.dropReplies = 10 }
        #expect(await InstrumentCatalog.standard.identify(path: silent.devnode, timeout: .milliseconds(100)) == nil)
        #expect(await InstrumentCatalog.standard.identify(path: "/dev/ttyUSB999") == nil)
    }
}
