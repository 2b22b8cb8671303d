import Foundation
import Testing
import IonLink
@testable import IonLinkDrivers
@testable import IonLinkMocks

/// The TC200 driver through the real libserialport against its emulator on a virtual port (or a real controller
/// named by IONLINK_HIL_TC200_PORT for the tests that need no fault injection or emulator state).
@Suite(.serialized) struct ThorlabsTC200Tests {
    let usb = VirtualUSBIdentity(vendorID: 0x0403, productID: 0x6001, serialNumber: "TC200-T1", manufacturer: "FTDI", product: "TC200")
    let limit = SetpointLimit(Temperature.celsius(20), .celsius(120))

    func connect(_ port: SerialPortLocator, limit: SetpointLimit<Temperature>? = nil) async throws -> ThorlabsTC200 {
        try await ThorlabsTC200.connect(name: "oven", limit: limit ?? self.limit, logger: HIL.logger,
                                        session: LineSession.serial(port, settings: ThorlabsTC200.serialSettings, framing: ThorlabsTC200.framing,
                                                                    timeout: .milliseconds(300), logger: HIL.logger))
    }

    @Test func identifiesSetsAndReadsBack() async throws {
        let (path, emulated) = try HIL.realOrEmulated("tc200", usb: usb) { ThorlabsTC200Emulator() }
        defer { withExtendedLifetime(emulated) {} }
        let oven = try await connect(.path(path))
        #expect(oven.identity.model == "TC200" && oven.identity.vendor == "THORLABS")
        #expect(oven.setpointLimit.upper <= .celsius(120))
        try await oven.setSetpoint(.celsius(42.3))
        #expect(abs(try await oven.setpoint().celsius - 42.3) < 1e-9)
        let t = try await oven.measuredTemperature().celsius
        #expect((0...205).contains(t))
    }

    @Test func theOvenHeatsTowardsItsSetpointOnlyWhileOn() async throws {
        let (emulator, port) = try HIL.emulated(ThorlabsTC200Emulator(timeConstant: 0.1, ambient: 24), usb: usb)
        let oven = try await connect(.path(port.devnode))
        try await oven.setSetpoint(.celsius(60))
        try await Task.sleep(for: .milliseconds(300))
        #expect(abs(try await oven.measuredTemperature().celsius - 24) < 0.2, "heater off: the load stays at ambient")
        try await oven.setOutput(true)
        try await oven.setOutput(true)   // `ens` toggles: a second "on" must not switch it off
        #expect(try await oven.isOutputOn())
        try await Task.sleep(for: .milliseconds(800))
        #expect(abs(try await oven.measuredTemperature().celsius - 60) < 0.5)
        try await oven.setOutput(false)
        #expect(try await oven.isOutputOn() == false)
        // A sensor alarm keeps the heater off: refused as such, not as an output that did not follow.
        emulator.sensorAlarm = true
        await #expect(throws: TemperatureControllerError(device: "oven", .kind(.sensorAlarm))) { try await oven.setOutput(true) }
    }

    @Test func setpointOnTheWireAndRefusals() async throws {
        let port = try HIL.emulate(ThorlabsTC200Emulator(), usb: usb)
        let oven = try await connect(.path(port.devnode))
        port.clearReceived()
        try await oven.setSetpoint(.celsius(84.3))
        #expect(port.receivedText == "tset=84.3\r")
        port.clearReceived()
        await #expect(throws: TemperatureControllerError.self) { try await oven.setSetpoint(.celsius(120.1)) }
        await #expect(throws: TemperatureControllerError.self) { try await oven.setSetpoint(.celsius(19)) }
        await #expect(throws: TemperatureControllerError.self) { try await oven.setSetpoint(Temperature(si: .nan)) }
        #expect(port.receivedBytes.isEmpty, "refused before sending")
        // The controller's own refusals: a value past tmax, an unknown command.
        await #expect(throws: TemperatureControllerError.rejected(device: "oven", command: "tset=300", reply: "Command error CMD_ARG_RANGE_ERR")) {
            _ = try await oven.query("tset=300")
        }
        await #expect(throws: TemperatureControllerError.rejected(device: "oven", command: "tget?", reply: "Command error CMD_NOT_DEFINED")) {
            _ = try await oven.query("tget?")
        }
        #expect(abs(try await oven.setpoint().celsius - 84.3) < 1e-9, "nothing lost")
    }

    @Test func theLabsLimitNeverPassesTheControllersTmax() async throws {
        let port = try HIL.emulate(ThorlabsTC200Emulator(), usb: usb)
        let oven = try await connect(.path(port.devnode), limit: SetpointLimit(.celsius(20), .celsius(250)))
        #expect(abs(oven.setpointLimit.upper.celsius - 200) < 1e-9)
    }

    @Test func wrongInstrumentGetsOnlyTheIdentificationQuery() async throws {
        let port = try HIL.emulate(Cobolt0601Emulator(), usb: HIL.ftdi)
        await HIL.checkWrongInstrument(port, throws: TemperatureControllerError.self, sentOnly: "id?\r") {
            _ = try await connect(.path(port.devnode))
        }
    }

    @Test func faultsAreTypedAndRecovered() async throws {
        let port = try HIL.emulate(ThorlabsTC200Emulator(), usb: usb)
        let oven = try await connect(.path(port.devnode))
        await HIL.checkFaultRecovery(port, limit: .milliseconds(900), isTyped: { $0 is TemperatureControllerError }) {
            _ = try await oven.measuredTemperature()
        }
    }

    @Test func unplugThenReconnect() async throws {
        let port = try HIL.emulate(ThorlabsTC200Emulator(), usb: usb)
        let oven = try await connect(.usb(vendorID: usb.vendorID, productID: usb.productID, serialNumber: usb.serialNumber))
        port.faults.withLock { $0.unplugOnNextCommand = true }
        await #expect(throws: TemperatureControllerError.disconnected(device: "oven")) { try await oven.setSetpoint(.celsius(50)) }
        try port.plugIn()
        try await oven.setSetpoint(.celsius(50))
        #expect(abs(try await oven.setpoint().celsius - 50) < 1e-9)
    }
}
