import Foundation
import Testing
import IonLink
@testable import IonLinkDrivers
@testable import IonLinkMocks

/// The OBIS driver through the real libserialport, against the emulator on a umockdev virtual port
/// (or a real OBIS named by IONLINK_HIL_OBIS_PORT, for the tests that need no fault injection).
@Suite(.serialized) struct CoherentOBISTests {
    let usb = VirtualUSBIdentity(vendorID: 0x0D4D, productID: 0x003D, serialNumber: "176543", manufacturer: "Coherent",
                                 product: "OBIS")

    func emulated() throws -> (CoherentOBISEmulator, EmulatedSerialPort) { try HIL.emulated(CoherentOBISEmulator(), usb: usb) }

    func connect(_ port: String, maxPower: Power = .milliwatts(80), timeout: Duration = .milliseconds(300)) async throws -> CoherentOBIS {
        try await connect(.path(port), maxPower: maxPower, timeout: timeout)
    }

    func connect(_ port: SerialPortLocator, maxPower: Power = .milliwatts(80), timeout: Duration = .milliseconds(300)) async throws -> CoherentOBIS {
        try await CoherentOBIS.connect(name: "obis", port: port, maxPower: maxPower, timeout: timeout, logger: HIL.logger)
    }

    @Test func identifiesSetsPowerAndRamps() async throws {
        let (path, emulated) = try HIL.realOrEmulated("obis", usb: usb) { CoherentOBISEmulator() }
        defer { withExtendedLifetime(emulated) {} }
        let laser = try await connect(path)
        #expect(laser.identity.vendor == "Coherent")
        #expect(laser.identity.model.contains("OBIS"))
        #expect(!laser.identity.serialNumber.isEmpty)
        #expect(laser.powerLimit.upper <= .milliwatts(80))
        let wl = try await laser.wavelength()
        #expect(wl.nanometers > 300 && wl.nanometers < 1100)
        try await HIL.checkPowerRamp(laser, to: .milliwatts(20), tolerance: .milliwatts(0.5))
    }

    @Test func refusesOutOfRangeSetpointBeforeSending() async throws {
        let (_, port) = try emulated()
        let laser = try await connect(port.devnode)
        port.clearReceived()
        await #expect(throws: LaserError.self) { try await laser.setPower(.milliwatts(81)) }
        await #expect(throws: LaserError.self) { try await laser.setPower(.watts(-0.001)) }
        await #expect(throws: LaserError.self) { try await laser.setPower(Power(si: .nan)) }
        #expect(port.receivedBytes.isEmpty, "nothing reached the instrument: \(port.receivedText.debugDescription)")
    }

    @Test func wrongInstrumentGetsOnlyTheIdentificationQuery() async throws {
        let port = try HIL.emulate(HIL.OtherInstrument(reply: "Rigol Technologies,DSG830,DSG8A0000001,00.01.07"), usb: HIL.ftdi)
        let expected = LaserError.wrongInstrument(device: "obis", expected: "Coherent OBIS", found: "Rigol Technologies,DSG830,DSG8A0000001,00.01.07")
        await HIL.checkWrongInstrument(port, throws: expected, sentOnly: "*IDN?\r\n") { _ = try await connect(port.devnode) }
    }

    @Test func garbledDroppedAndPartialRepliesAreTypedAndRecovered() async throws {
        let (_, port) = try emulated()
        let laser = try await connect(port.devnode)
        port.faults.withLock { $0.garbleReplies = 1 }
        await #expect(throws: LaserError.malformedReply(device: "obis", command: "SOUR:POW:LEV?",
                                                         reply: String(decoding: [0x15, 0xFE, 0x3F, 0x7E, 0x00, 0x23, 0xB5], as: UTF8.self))) {
            _ = try await laser.measuredPower()
        }
        await HIL.checkFaultRecovery(port, timeout: .milliseconds(300)) { () throws(LaserError) -> Double in
            try await laser.wavelength().nanometers
        }
        port.faults.withLock { $0.replyDelay = .milliseconds(100) }
        #expect(abs(try await laser.wavelength().nanometers - 488) < 1e-6, "a slow reply inside the timeout is fine")
        port.faults.withLock { $0.replyDelay = .zero }
    }

    @Test func refusedCommandsAndInterlock() async throws {
        let (emulator, port) = try emulated()
        let laser = try await connect(port.devnode)
        await #expect(throws: LaserError.rejected(device: "obis", command: "SYST:FOO", reply: "ERR-100")) {
            try await laser.command("SYST:FOO")
        }
        emulator.interlockClosed = false
        await #expect(throws: LaserError.interlockOpen(device: "obis")) { try await laser.setEmission(true) }
        #expect(try await laser.status().interlockClosed == false)
        emulator.interlockClosed = true
        try await laser.setEmission(true)
        #expect(try await laser.status().emitting)
    }

    @Test func unplugMidQueryThenReconnect() async throws {
        let (_, port) = try emulated()
        // Found by USB identity, so the laser is found again under its new ttyUSB name after a replug.
        let laser = try await connect(.usb(vendorID: usb.vendorID, productID: usb.productID, serialNumber: usb.serialNumber))
        let before = port.devnode
        port.faults.withLock { $0.unplugOnNextCommand = true }
        await #expect(throws: LaserError.disconnected(device: "obis")) { _ = try await laser.measuredPower() }
        // Still unplugged: a clear error, not a hang.
        await #expect(throws: LaserError.disconnected(device: "obis")) { _ = try await laser.measuredPower() }
        try port.plugIn()
        #expect(port.devnode != before)
        #expect(abs(try await laser.wavelength().nanometers - 488) < 1e-6, "usable again after the cable is back")
    }
}
