import Foundation
import Testing
import IonLink
@testable import IonLinkDrivers
@testable import IonLinkMocks

/// The SynthHD driver through the real libserialport against its emulator on a virtual port (or a real
/// synthesiser named by IONLINK_HIL_SYNTHHD_PORT for the tests that need no fault injection).
@Suite(.serialized) struct WindfreakSynthHDTests {
    let usb = VirtualUSBIdentity(vendorID: 0x16D0, productID: 0x0557, serialNumber: "SHD-T1", manufacturer: "Windfreak Technologies",
                                 product: "SynthHD", attachment: .cdcACM)
    let fLimit = SetpointLimit(Frequency.megahertz(5), .megahertz(500))
    let pLimit = SetpointLimit(Power.dBm(-40), .dBm(10))

    func emulated() throws -> EmulatedSerialPort { try HIL.emulate(WindfreakSynthHDEmulator(), usb: usb) }

    func connect(_ port: SerialPortLocator) async throws -> WindfreakSynthHD {
        try await WindfreakSynthHD.connect(name: "rf", port: port, timeout: .milliseconds(300), logger: HIL.logger)
    }

    @Test func twoChannelsSetAndReadBack() async throws {
        let (path, emulated) = try HIL.realOrEmulated("synthhd", usb: usb) { WindfreakSynthHDEmulator() }
        defer { withExtendedLifetime(emulated) {} }
        let synth = try await connect(.path(path))
        #expect(synth.identity.model.contains("SynthHD") && !synth.identity.serialNumber.isEmpty)
        let a = synth.output(0, frequencyLimit: fLimit, powerLimit: pLimit)
        let b = synth.output(1, frequencyLimit: fLimit, powerLimit: pLimit)
        #expect(a.frequencyLimit.lower == .megahertz(10), "never below the instrument's range")
        try await a.setFrequency(.megahertz(200.125))
        try await b.setFrequency(.megahertz(80))
        try await a.setPower(.dBm(-3.5))
        try await a.setOutput(true)
        #expect(abs(try await a.frequency().megahertz - 200.125) < 1e-6)
        #expect(abs(try await b.frequency().megahertz - 80) < 1e-6)
        #expect(abs(try await a.power().dBm + 3.5) < 1e-3)
        #expect(try await a.isOutputOn())
        #expect(try await b.isOutputOn() == false)
        try await a.setOutput(false)
        #expect(try await a.isOutputOn() == false)
    }

    @Test func unterminatedCommandsOnTheWire() async throws {
        let port = try emulated()
        let synth = try await connect(.path(port.devnode))
        port.clearReceived()
        try await synth.output(1, frequencyLimit: fLimit, powerLimit: pLimit).setFrequency(.megahertz(100))
        #expect(port.receivedText == "C1f100.00000000C1f?")
    }

    @Test func refusalsBeforeSending() async throws {
        let port = try emulated()
        let synth = try await connect(.path(port.devnode))
        let a = synth.output(0, frequencyLimit: fLimit, powerLimit: pLimit)
        port.clearReceived()
        await #expect(throws: RFSourceError.self) { try await a.setFrequency(.megahertz(9.9)) }
        await #expect(throws: RFSourceError.self) { try await a.setFrequency(.megahertz(501)) }
        await #expect(throws: RFSourceError.self) { try await a.setPower(.dBm(10.5)) }
        #expect(port.receivedBytes.isEmpty)
    }

    @Test func wrongInstrumentGetsOnlyTheIdentificationQuery() async throws {
        let port = try HIL.emulate(CoherentOBISEmulator(), usb: HIL.ftdi)
        // An OBIS waits for CR LF, so a bare "+" gets no answer: a timeout, with nothing else sent.
        await #expect(throws: RFSourceError.timeout(device: "rf", command: "+")) { _ = try await connect(.path(port.devnode)) }
        #expect(port.receivedText == "+")
        let cobolt = try HIL.emulate(Cobolt0601Emulator(), usb: HIL.ftdi)
        await #expect(throws: RFSourceError.self) { _ = try await connect(.path(cobolt.devnode)) }
        #expect(cobolt.receivedText == "+")
    }

    @Test func faultsAreTypedAndRecovered() async throws {
        let port = try emulated()
        let synth = try await connect(.path(port.devnode))
        let a = synth.output(0, frequencyLimit: fLimit, powerLimit: pLimit)
        await HIL.checkFaultRecovery(port, limit: .milliseconds(900), isTyped: { $0 is RFSourceError }) {
            _ = try await a.frequency()
        }
    }

    @Test func unplugThenReconnect() async throws {
        let port = try emulated()
        let synth = try await connect(.usb(vendorID: usb.vendorID, productID: usb.productID, serialNumber: usb.serialNumber))
        let a = synth.output(0, frequencyLimit: fLimit, powerLimit: pLimit)
        port.faults.withLock { $0.unplugOnNextCommand = true }
        await #expect(throws: RFSourceError.disconnected(device: "rf")) { _ = try await a.frequency() }
        try port.plugIn()
        try await a.setFrequency(.megahertz(123))
        #expect(abs(try await a.frequency().megahertz - 123) < 1e-6)
    }
}
