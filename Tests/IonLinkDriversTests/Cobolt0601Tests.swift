import Foundation
import Testing
import IonLink
@testable import IonLinkDrivers
@testable import IonLinkMocks

/// The Cobolt driver through the real libserialport against its emulator on a virtual port (or a real
/// Cobolt named by IONLINK_HIL_COBOLT_PORT for the tests that need no fault injection).
@Suite(.serialized) struct Cobolt0601Tests {
    let usb = VirtualUSBIdentity(vendorID: 0x0403, productID: 0x6001, serialNumber: "COB-T1", manufacturer: "FTDI", product: "Cobolt Laser")

    func emulated() throws -> (Cobolt0601Emulator, EmulatedSerialPort) { try HIL.emulated(Cobolt0601Emulator(), usb: usb) }

    func connect(_ port: SerialPortLocator) async throws -> Cobolt0601 {
        try await Cobolt0601.connect(name: "cobolt", port: port, wavelength: .nanometers(493), maxPower: .milliwatts(50),
                                     timeout: .milliseconds(300), logger: HIL.logger)
    }

    @Test func identifiesSetsPowerAndRamps() async throws {
        let (path, emulated) = try HIL.realOrEmulated("cobolt", usb: usb) { Cobolt0601Emulator() }
        defer { withExtendedLifetime(emulated) {} }
        let laser = try await connect(.path(path))
        #expect(laser.identity.vendor == "Cobolt" && !laser.identity.serialNumber.isEmpty)
        #expect(laser.powerLimit.upper == .milliwatts(50))
        try await HIL.checkPowerRamp(laser, to: .milliwatts(12))
    }

    @Test func refusalsBeforeSendingAndFromTheLaser() async throws {
        let (_, port) = try emulated()
        let laser = try await connect(.path(port.devnode))
        port.clearReceived()
        await #expect(throws: LaserError.self) { try await laser.setPower(.milliwatts(51)) }
        #expect(port.receivedBytes.isEmpty)
        await #expect(throws: LaserError.rejected(device: "cobolt", command: "xyz", reply: "Syntax error: illegal command")) {
            try await laser.command("xyz")
        }
        await #expect(throws: LaserError.rejected(device: "cobolt", command: "p 0.2", reply: "Syntax error: Value is out of range.")) {
            try await laser.command("p 0.2")
        }
    }

    @Test func wrongInstrumentGetsOnlyTheIdentificationQuery() async throws {
        let port = try HIL.emulate(CoherentOBISEmulator(), usb: HIL.ftdi)
        let expected = LaserError.wrongInstrument(device: "cobolt", expected: "Cobolt 06-01 (numeric gsn?)", found: "ERR-100")
        await HIL.checkWrongInstrument(port, throws: expected, sentOnly: "gsn?\r") { _ = try await connect(.path(port.devnode)) }
    }

    @Test func faultsAreTypedAndRecovered() async throws {
        let (_, port) = try emulated()
        let laser = try await connect(.path(port.devnode))
        await HIL.checkFaultRecovery(port, timeout: .milliseconds(300)) { () throws(LaserError) -> Double in
            try await laser.measuredPower().watts
        }
    }

    @Test func interlockFaultAndClear() async throws {
        let (emulator, port) = try emulated()
        let laser = try await connect(.path(port.devnode))
        try await laser.setEmission(true)
        emulator.interlockClosed = false
        let s = try await laser.status()
        #expect(!s.interlockClosed && s.faultCode == 3 && !s.emitting)
        await #expect(throws: LaserError.interlockOpen(device: "cobolt")) { try await laser.setEmission(true) }
        emulator.interlockClosed = true
        await #expect(throws: LaserError.fault(device: "cobolt", code: 3, message: "interlock error")) { try await laser.setEmission(true) }
        try await laser.clearFault()
        try await laser.setEmission(true)
        #expect(try await laser.status().emitting)
    }

    @Test func unplugMidQueryThenReconnect() async throws {
        let (_, port) = try emulated()
        let laser = try await connect(.usb(vendorID: usb.vendorID, productID: usb.productID, serialNumber: usb.serialNumber))
        port.faults.withLock { $0.unplugOnNextCommand = true }
        await #expect(throws: LaserError.disconnected(device: "cobolt")) { _ = try await laser.measuredPower() }
        try port.plugIn()
        #expect(try await laser.powerSetpoint() == .zero)
    }
}
