import Foundation
import Logging
import Testing
import IonLink
import IonLinkDrivers
@testable import IonLinkMocks

/// Hardware-in-the-loop plumbing: each test gets an emulator on a fresh virtual port of the process's
/// umockdev testbed, or, when the environment names a real port for that model
/// (`IONLINK_HIL_<MODEL>_PORT=/dev/ttyUSB0`), the real instrument.
enum HIL {
    static let logger = Logger(label: "hil") { _ in SwiftLogNoOpLogHandler() }

    /// A real port for `model` from the environment, if the user named one.
    static func realPort(_ model: String) -> String? {
        ProcessInfo.processInfo.environment["IONLINK_HIL_\(model.uppercased())_PORT"]
    }

    /// Serves `emulator` on a new virtual USB-serial port.
    static func emulate(_ emulator: any InstrumentEmulator, usb: VirtualUSBIdentity) throws -> EmulatedSerialPort {
        try EmulatedSerialPort(testbed: VirtualSerialTestbed.shared(), usb: usb, emulator: emulator)
    }

    /// Something that is not the instrument under test: it answers every line with `reply`.
    final class OtherInstrument: InstrumentEmulator {
        let reply: String
        var splitter = CommandLineSplitter()
        init(reply: String) { self.reply = reply }
        func receive(_ bytes: [UInt8]) -> [[UInt8]] { splitter.lines(from: bytes).map { _ in Array((reply + "\r\n").utf8) } }
    }

    static let ftdi = VirtualUSBIdentity(vendorID: 0x0403, productID: 0x6001, serialNumber: "FT0001", manufacturer: "FTDI",
                                         product: "FT232R USB UART")
}
