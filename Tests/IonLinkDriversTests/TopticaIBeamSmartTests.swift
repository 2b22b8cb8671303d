import Foundation
import Testing
import IonLink
@testable import IonLinkDrivers
@testable import IonLinkMocks

/// The iBeam smart driver through the real libserialport against its emulator on a virtual port (or a
/// real laser named by IONLINK_HIL_IBEAM_PORT for the tests that need no fault injection).
@Suite(.serialized) struct TopticaIBeamSmartTests {
    let usb = VirtualUSBIdentity(vendorID: 0x0403, productID: 0x6001, serialNumber: "IBEAM-T1", manufacturer: "TOPTICA", product: "iBeam smart")

    func emulated() throws -> EmulatedSerialPort { try HIL.emulate(TopticaIBeamSmartEmulator(), usb: usb) }

    func connect(_ port: SerialPortLocator) async throws -> TopticaIBeamSmart {
        try await TopticaIBeamSmart.connect(name: "ibeam", port: port, wavelength: .nanometers(488), maxPower: .milliwatts(30),
                                            timeout: .milliseconds(300), logger: HIL.logger)
    }

    @Test func identifiesThroughEchoAndPromptThenSetsPower() async throws {
        let (path, emulated) = try HIL.realOrEmulated("ibeam", usb: usb) { TopticaIBeamSmartEmulator() }
        defer { withExtendedLifetime(emulated) {} }
        let laser = try await connect(.path(path))
        #expect(laser.identity.vendor == "Toptica" && laser.identity.model.hasPrefix("iBEAM"))
        #expect(!laser.identity.serialNumber.isEmpty)
        try await HIL.checkPowerRamp(laser, to: .milliwatts(15))
    }

    @Test func echoAndPromptAreOffAfterConnect() async throws {
        let port = try emulated()
        _ = try await connect(.path(port.devnode))
        #expect(port.receivedText == "ver\r\necho off\r\nprom off\r\ntalk usual\r\nserial\r\n")
    }

    @Test func refusals() async throws {
        let port = try emulated()
        let laser = try await connect(.path(port.devnode))
        port.clearReceived()
        await #expect(throws: LaserError.self) { try await laser.setPower(.milliwatts(31)) }
        #expect(port.receivedBytes.isEmpty)
        await #expect(throws: LaserError.rejected(device: "ibeam", command: "fly", reply: "%SYS-E-113 Unknown command or parameter")) {
            _ = try await laser.body("fly")
        }
    }

    @Test func wrongInstrumentGetsOnlyTheIdentificationQuery() async throws {
        let port = try HIL.emulate(Cobolt0601Emulator(), usb: HIL.ftdi)
        let expected = LaserError.wrongInstrument(device: "ibeam", expected: "Toptica iBeam smart", found: "Syntax error: illegal command")
        await HIL.checkWrongInstrument(port, throws: expected, sentOnly: "ver\r\n") { _ = try await connect(.path(port.devnode)) }
    }

    @Test func faultsAreTypedAndRecovered() async throws {
        let port = try emulated()
        let laser = try await connect(.path(port.devnode))
        await HIL.checkFaultRecovery(port, timeout: .milliseconds(300)) { () throws(LaserError) -> Double in
            try await laser.measuredPower().watts
        }
    }

    @Test func unplugMidQueryThenReconnect() async throws {
        let port = try emulated()
        let laser = try await connect(.usb(vendorID: usb.vendorID, productID: usb.productID, serialNumber: usb.serialNumber))
        port.faults.withLock { $0.unplugOnNextCommand = true }
        await #expect(throws: LaserError.disconnected(device: "ibeam")) { _ = try await laser.status() }
        try port.plugIn()
        // Found again by USB identity; replies are parsed whether or not echo and prompt are on.
        #expect(try await laser.status().emitting == false)
    }
}
