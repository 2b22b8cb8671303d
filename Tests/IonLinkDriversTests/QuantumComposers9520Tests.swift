import Foundation
import Testing
import IonLink
@testable import IonLinkDrivers
@testable import IonLinkMocks

/// The Quantum Composers 9520 driver through the real libserialport against its emulator on a virtual
/// port: the attempt on its channels, bursts, refusals before sending and the unit's `?n` replies.
@Suite(.serialized) struct QuantumComposers9520Tests {
    let usb = VirtualUSBIdentity(vendorID: 0x04D8, productID: 0x000A, serialNumber: "QC-T1", manufacturer: "Quantum Composers",
                                 product: "9524 Pulse Generator")
    static let timeBin = PulseSequence([PulseStep(.pump, .nanoseconds(500)), PulseStep(.excite, .nanoseconds(50)),
                                        PulseStep(.wait, .nanoseconds(300)), PulseStep(.excite, .nanoseconds(50)),
                                        PulseStep(.detect, .picoseconds(400_200))])

    func connect(_ emulator: QuantumComposers9520Emulator,
                 outputs: [PulseRole: [QuantumComposers9520.Channel]] = QuantumComposers9520.defaultOutputs)
        async throws -> (QuantumComposers9520, EmulatedSerialPort)
    {
        try await HIL.connect(QuantumComposers9520.self, to: emulator, usb: usb, outputs: outputs)
    }

    @Test func programsTheAttemptOntoItsChannels() async throws {
        let emulator = QuantumComposers9520Emulator()
        let (qc, port) = try await connect(emulator)
        #expect(qc.channelCount == 4)
        #expect(try await qc.identify() == DeviceIdentity(vendor: "Quantum Composers", model: "9524", serialNumber: "02311",
                                                          firmware: "1.2.2-1.2.0"))
        try await qc.program(Self.timeBin)
        let c = emulator.channels
        #expect(c[0].enabled && c[0].delay == 0 && c[0].width == 500_000, "pump on A")
        #expect(c[1].enabled && c[1].delay == 500_000 && c[1].width == 50_000, "early excitation on B")
        #expect(c[2].enabled && c[2].delay == 850_000 && c[2].width == 50_000, "late excitation on C")
        // The detection gate's end on the 250 ps grid: 1300.200 ns → 1300.250 ns.
        #expect(c[3].enabled && c[3].delay == 900_000 && c[3].width == 400_250, "detection gate on D")
        #expect(c.allSatisfy { $0.sync == "T0" && $0.polarity == "NORM" })
        #expect(emulator.systemMode == "BURS" && emulator.period == 1_310_000, "1300.25 ns rounded up to the 10 ns grid")
        #expect(port.receivedText.contains(":PULSE2:DELAY 0.00000050000\r\n"))
        let produced = try #require(await qc.programmed())
        #expect(produced.period == .picoseconds(1_310_000) && produced.steps.last?.duration == .picoseconds(410_000))
    }

    @Test func burstsFireTheArmedNumberOfAttempts() async throws {
        let emulator = QuantumComposers9520Emulator()
        let (qc, port) = try await connect(emulator)
        defer { withExtendedLifetime(port) {} }
        try await HIL.armAndTriggerTwice(qc, Self.timeBin, count: 1000)
        #expect(emulator.starts == 2 && emulator.periodsFired == 2000)
        try await qc.set(":PULSE0:MODE NORM")
        try await qc.trigger()
        #expect(emulator.running)
        try await qc.stop()
        #expect(!emulator.running)
    }

    @Test func sequencesItCannotProduceAreRefusedBeforeSending() async throws {
        let (qc, port) = try await connect(QuantumComposers9520Emulator(), outputs: [.pump: [.a], .excite: [.b, .e], .detect: [.d]])
        port.clearReceived()
        let short = PulseSequence([PulseStep(.pump, .nanoseconds(500)), PulseStep(.excite, .nanoseconds(1)), PulseStep(.detect, .nanoseconds(500))])
        await HIL.checkRefusedBeforeSending(qc, port, sequences: [(Self.timeBin, "channel E on a four-channel unit"),
                                                                 (short, "a 1 ns pulse under the 2 ns minimum")],
                                            counts: [0, 10_000_000]) { $0.isOutOfRange }
    }

    @Test func theUnitsRefusalsAreTyped() async throws {
        let (qc, port) = try await connect(QuantumComposers9520Emulator())
        defer { withExtendedLifetime(port) {} }
        await #expect(throws: PulseGeneratorError.rejected(device: "pulses", command: ":PULSE1:WIDTH 2000", reply: "?5 invalid parameter")) {
            try await qc.set(":PULSE1:WIDTH 2000")
        }
        await #expect(throws: PulseGeneratorError.rejected(device: "pulses", command: ":PULSE1:WIDTHS 1e-6", reply: "?3 invalid command keyword")) {
            try await qc.set(":PULSE1:WIDTHS 1e-6")
        }
        await #expect(throws: PulseGeneratorError.rejected(device: "pulses", command: "PULSE1:STATE 1", reply: "?1 incorrect prefix")) {
            try await qc.set("PULSE1:STATE 1")
        }
        try await qc.set(":PULS1:WIDT 0.000001")   // the short forms
        #expect(try await qc.query(":PULSE1:WIDTH?") == "0.000001000")
    }

    /// Against a real unit when `IONLINK_HIL_CONFIG` binds a `qc9520` (or `IONLINK_HIL_QC9520_PORT` names
    /// it), else the emulator: identify, program (widths and delays read back), a burst armed, stopped.
    @Test func programsAndReadsBackOnARealOrEmulatedUnit() async throws {
        let qc = try await HIL.checkProgramsAndArms(QuantumComposers9520.self, model: "qc9520", usb: usb,
                                                    emulator: { QuantumComposers9520Emulator() }, sequence: Self.timeBin)
        #expect(qc.channelCount >= 4)
    }

    @Test func wireFaultsAreTypedAndRecovered() async throws {
        let (qc, port) = try await connect(QuantumComposers9520Emulator())
        await HIL.checkFaultRecovery(port, limit: .milliseconds(1500), isTyped: { $0 is PulseGeneratorError }) {
            _ = try await qc.query(":PULSE0:PERIOD?")
        }
        try await qc.program(Self.timeBin)
    }

    @Test func unplugThenReconnect() async throws {
        let emulator = QuantumComposers9520Emulator()
        try await HIL.checkUnplugThenReconnect(QuantumComposers9520.self, emulator: emulator, usb: usb, sequence: Self.timeBin)
        #expect(emulator.channels[1].delay == 500_000)
    }

    @Test func anotherInstrumentIsSentOnlyTheIdentificationQuery() async throws {
        let port = try HIL.emulate(SRSDG645Emulator(), usb: HIL.ftdi)
        await HIL.checkWrongInstrument(port, throws: PulseGeneratorError.self, sentOnly: "*IDN?\r\n") {
            _ = try await QuantumComposers9520.connect(name: "pulses", port: .path(port.devnode), timeout: .milliseconds(300), logger: HIL.logger)
        }
    }
}
