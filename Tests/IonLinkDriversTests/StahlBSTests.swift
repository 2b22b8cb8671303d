import Foundation
import Testing
import IonLink
@testable import IonLinkDrivers
@testable import IonLinkMocks

/// The Stahl BS driver through the real libserialport against its emulator on a virtual port (or a
/// real supply named by IONLINK_HIL_STAHL_PORT for the tests that need no fault injection).
@Suite(.serialized) struct StahlBSTests {
    let usb = VirtualUSBIdentity(vendorID: 0x0403, productID: 0x6001, serialNumber: "STAHL-T1", manufacturer: "FTDI", product: "BS-Series")

    func emulated() throws -> EmulatedSerialPort { try HIL.emulate(StahlBSEmulator(), usb: usb) }

    func connect(_ port: SerialPortLocator, limit: Voltage = .volts(4)) async throws -> StahlBS {
        try await StahlBS.connect(name: "dc", port: port, limit: limit, timeout: .milliseconds(300), logger: HIL.logger)
    }

    @Test func identifiesSetsAndReadsBackWithDecimalComma() async throws {
        let (path, emulated) = try HIL.realOrEmulated("stahl", usb: usb) { StahlBSEmulator() }
        defer { withExtendedLifetime(emulated) {} }
        let dc = try await connect(.path(path))
        #expect(dc.channelCount >= 1)
        #expect(dc.voltageLimit.upper <= dc.range)
        for (ch, v) in [(1, -1.2), (2, 0.0), (3, 3.75)] where ch <= dc.channelCount {
            try await dc.setVoltage(.volts(v), channel: ch)
            #expect(abs(try await dc.measuredVoltage(channel: ch).volts - v) < 2e-3)
        }
        #expect(abs(try await dc.temperatureCelsius() - 24.5) < 20)
    }

    @Test func normalisedSetpointOnTheWire() async throws {
        let port = try emulated()
        let dc = try await connect(.path(port.devnode))
        #expect(dc.range == .volts(5) && dc.channelCount == 16)
        port.clearReceived()
        try await dc.setVoltage(.volts(-1.2), channel: 7)
        #expect(port.receivedText == "BS123 CH07 0.38000\r")
    }

    @Test func refusalsBeforeSendingAndFromTheSupply() async throws {
        let port = try emulated()
        let dc = try await connect(.path(port.devnode))
        port.clearReceived()
        await #expect(throws: TrapControllerError.self) { try await dc.setVoltage(.volts(4.01), channel: 1) }
        await #expect(throws: TrapControllerError.self) { try await dc.setVoltage(.volts(1), channel: 17) }
        await #expect(throws: TrapControllerError.self) { try await dc.setVoltage(Voltage(si: .infinity), channel: 1) }
        #expect(port.receivedBytes.isEmpty)
        await #expect(throws: TrapControllerError.rejected(device: "dc", command: "BS123 X01", reply: "ERROR01")) {
            _ = try await dc.query("BS123 X01")
        }
    }

    @Test func wrongInstrumentGetsOnlyTheIdentificationQuery() async throws {
        let port = try HIL.emulate(Cobolt0601Emulator(), usb: HIL.ftdi)
        let expected = TrapControllerError.wrongInstrument(device: "dc", expected: "Stahl BS supply (IDN → BSnnn rrr cc t)",
                                                           found: "Syntax error: illegal command")
        await HIL.checkWrongInstrument(port, throws: expected, sentOnly: "IDN\r") { _ = try await connect(.path(port.devnode)) }
    }

    @Test func faultsAreTypedAndRecovered() async throws {
        let port = try emulated()
        let dc = try await connect(.path(port.devnode))
        await HIL.checkFaultRecovery(port, limit: .milliseconds(900), isTyped: { $0 is TrapControllerError }) {
            _ = try await dc.measuredVoltage(channel: 1)
        }
    }

    @Test func unplugThenReconnect() async throws {
        let port = try emulated()
        let dc = try await connect(.usb(vendorID: usb.vendorID, productID: usb.productID, serialNumber: usb.serialNumber))
        port.faults.withLock { $0.unplugOnNextCommand = true }
        await #expect(throws: TrapControllerError.disconnected(device: "dc")) { try await dc.setVoltage(.volts(1), channel: 1) }
        try port.plugIn()
        try await dc.setVoltage(.volts(1), channel: 1)
        #expect(abs(try await dc.measuredVoltage(channel: 1).volts - 1) < 2e-3)
    }
}
