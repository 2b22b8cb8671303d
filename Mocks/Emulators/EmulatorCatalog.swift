/// The instrument models IonLink can emulate, by the name `ionlink emulate` takes.
public enum EmulatorCatalog {
    public struct Entry: Sendable {
        public var model: String
        public var summary: String
        /// The USB identity the real instrument (or its usual adapter) shows.
        public var usb: VirtualUSBIdentity
        public var make: @Sendable () -> any InstrumentEmulator
    }

    public static let entries: [Entry] = [
        Entry(model: "obis", summary: "Coherent OBIS LX/LS laser (SCPI, 115200 8N1)",
              usb: VirtualUSBIdentity(vendorID: 0x0D4D, productID: 0x003D, serialNumber: "EMU-OBIS-1", manufacturer: "Coherent",
                                      product: "OBIS"),
              make: { CoherentOBISEmulator() }),
        Entry(model: "cobolt", summary: "Cobolt 06-01 / 08-01 laser (115200 8N1, one reply line per command)",
              usb: VirtualUSBIdentity(vendorID: 0x0403, productID: 0x6001, serialNumber: "EMU-COBOLT-1", manufacturer: "FTDI",
                                      product: "Cobolt Laser"),
              make: { Cobolt0601Emulator() }),
        Entry(model: "ibeam", summary: "Toptica iBeam smart diode laser (115200 8N1, framed replies with [OK])",
              usb: VirtualUSBIdentity(vendorID: 0x0403, productID: 0x6001, serialNumber: "EMU-IBEAM-1", manufacturer: "TOPTICA",
                                      product: "iBeam smart"),
              make: { TopticaIBeamSmartEmulator() }),
        Entry(model: "stahl", summary: "Stahl Electronics BS DC supply for trap electrodes (115200 8N1, CR, decimal comma)",
              usb: VirtualUSBIdentity(vendorID: 0x0403, productID: 0x6001, serialNumber: "EMU-STAHL-1", manufacturer: "FTDI",
                                      product: "BS-Series"),
              make: { StahlBSEmulator() }),
        Entry(model: "synthhd", summary: "Windfreak SynthHD RF synthesiser (USB CDC, unterminated commands)",
              usb: VirtualUSBIdentity(vendorID: 0x16D0, productID: 0x0557, serialNumber: "EMU-SYNTHHD-1", manufacturer: "Windfreak Technologies",
                                      product: "SynthHD"),
              make: { WindfreakSynthHDEmulator() }),
        Entry(model: "sim900", summary: "SRS SIM900 with SIM928s (ports 1–4) biasing four SNSPDs and a SIM970 (port 7, ch 1–4) across their bias resistors",
              usb: VirtualUSBIdentity(vendorID: 0x0403, productID: 0x6001, serialNumber: "EMU-SIM900-1", manufacturer: "FTDI",
                                      product: "USB-RS232 Cable"),
              make: { SIM900Emulator.snspdBiasRack(circuits: (0..<4).map { _ in SNSPDCircuit() }) }),
        Entry(model: "tdc1", summary: "S-Fifteen TDC1 time tagger (text commands; 32-bit timestamp words)",
              usb: VirtualUSBIdentity(vendorID: 0x04D8, productID: 0xF8B8, serialNumber: "EMU-TDC1-1", manufacturer: "S-Fifteen Instruments",
                                      product: "TDC1"),
              make: { SFifteenTDC1Emulator() }),
    ]

    public static func entry(_ model: String) -> Entry? { entries.first { $0.model == model.lowercased() } }

    /// USBTMC instruments: the model name, a summary, VID, PID, serial number and the SCPI model.
    public struct USBEntry: Sendable {
        public var model: String
        public var summary: String
        public var vendorID: UInt16
        public var productID: UInt16
        public var serialNumber: String
        public var make: @Sendable () -> any SCPIMessageHandler
    }

    public static let usbEntries: [USBEntry] = [
        USBEntry(model: "itc4001", summary: "Thorlabs ITC4001 laser-diode/TEC controller (USBTMC)", vendorID: 0x1313, productID: 0x804A,
                 serialNumber: "M00EMU001", make: { ThorlabsITC4001Emulator(serialNumber: "M00EMU001") }),
        USBEntry(model: "dsg800", summary: "Rigol DSG830 RF generator (USBTMC)", vendorID: 0x1AB1, productID: 0x099C,
                 serialNumber: "DSG8EMU0001", make: { RigolDSG800Emulator(serialNumber: "DSG8EMU0001") }),
    ]

    public static func usbEntry(_ model: String) -> USBEntry? { usbEntries.first { $0.model == model.lowercased() } }
}
