import Foundation
import Testing
import IonLink
@testable import IonLinkDrivers
@testable import IonLinkMocks

/// The DG645 driver through the real libserialport (RTS/CTS) against its emulator on a virtual port:
/// an attempt sequence on the outputs, bursts, refusals before sending and the instrument's error queue.
@Suite(.serialized) struct SRSDG645Tests {
    let usb = VirtualUSBIdentity(vendorID: 0x0403, productID: 0x6001, serialNumber: "DG645-T1", manufacturer: "FTDI", product: "USB-RS232 Cable")

    /// Attempts like the lab's (`LabModel.attemptSequence`): polarization, and time-bin with its two excitations.
    static let polarization = PulseSequence([PulseStep(.pump, .nanoseconds(500)), PulseStep(.excite, .nanoseconds(50)),
                                             PulseStep(.detect, .picoseconds(250_123))])
    static let timeBin = PulseSequence([PulseStep(.pump, .nanoseconds(500)), PulseStep(.excite, .nanoseconds(50)),
                                        PulseStep(.wait, .nanoseconds(300)), PulseStep(.excite, .nanoseconds(50)),
                                        PulseStep(.detect, .nanoseconds(400))])

    func connect(_ emulator: SRSDG645Emulator, outputs: [PulseRole: [SRSDG645.Output]] = SRSDG645.defaultOutputs)
        async throws -> (SRSDG645, EmulatedSerialPort)
    {
        try await HIL.connect(SRSDG645.self, to: emulator, usb: usb, outputs: outputs)
    }

    @Test func identifiesAndProgramsTheAttemptOntoItsOutputs() async throws {
        let emulator = SRSDG645Emulator()
        let (dg, port) = try await connect(emulator)
        #expect(try await dg.identify() == DeviceIdentity(vendor: "Stanford Research Systems", model: "DG645", serialNumber: "008011",
                                                          firmware: "1.19.118"))
        try await dg.program(Self.polarization)
        #expect(emulator.pulse(output: 1) == (0, 500_000), "pump on AB from T0")
        #expect(emulator.pulse(output: 2) == (500_000, 50_000), "excitation on CD after it")
        // The detection gate's end falls on the 5 ps grid: 250 123 ps → 250 125 ps.
        #expect(emulator.pulse(output: 4) == (550_000, 250_125), "detection gate on GH")
        #expect(emulator.pulse(output: 3).width == 0, "EF unused: zero width")
        #expect(emulator.burstMode == 1 && emulator.triggerSource == 5)
        #expect(emulator.burstPeriod == 810_000, "800.123 ns rounded up to the 10 ns burst-period grid")
        let produced = try #require(await dg.programmed())
        #expect(produced.period == .picoseconds(810_000) && produced.steps.last?.duration == .picoseconds(260_000))
        #expect(port.receivedText.contains("DLAY 2,0,0.000000000000\n") && port.receivedText.contains("DLAY 5,4,0.000000050000\n"))
    }

    @Test func timeBinExcitationUsesOneOutputPerPulse() async throws {
        let emulator = SRSDG645Emulator()
        let (dg, port) = try await connect(emulator)
        try await dg.program(Self.timeBin)
        #expect(emulator.pulse(output: 2) == (500_000, 50_000), "early excitation on CD")
        #expect(emulator.pulse(output: 3) == (850_000, 50_000), "the late one, a bin separation later, on EF")
        #expect(emulator.pulse(output: 4) == (900_000, 400_000))
        #expect(emulator.pulse(output: 1) == (0, 500_000))
        withExtendedLifetime(port) {}
    }

    @Test func burstsFireTheArmedNumberOfAttempts() async throws {
        let emulator = SRSDG645Emulator()
        let (dg, port) = try await connect(emulator)
        defer { withExtendedLifetime(port) {} }
        try await HIL.armAndTriggerTwice(dg, Self.polarization, count: 250)
        #expect(emulator.triggers == 2 && emulator.cyclesFired == 500)
        #expect(try await dg.instrumentStatus() & 0b1000 != 0, "end of burst")
        #expect(try await dg.instrumentStatus() == 0, "INSR? clears on reading")
        try await dg.apply(["TSRC 1"])
        try await dg.stop()
        #expect(emulator.triggerSource == 5, "stopped: single shot, external edges ignored")
    }

    @Test func sequencesItCannotProduceAreRefusedBeforeSending() async throws {
        let (dg, port) = try await connect(SRSDG645Emulator(), outputs: [.pump: [.ab], .excite: [.cd], .detect: [.gh]])
        port.clearReceived()
        do {
            try await dg.program(PulseSequence([PulseStep(.pump, .nanoseconds(500)), PulseStep(.excite, .picoseconds(3))]))
            Issue.record("a 3 ps step: accepted")
        } catch {
            guard case .kind(.stepTooShort(_, let minimum)) = error.reason else { Issue.record("\(error)"); return }
            #expect(minimum == .picoseconds(5))
        }
        let tooFast = PulseSequence([PulseStep(.pump, .nanoseconds(30)), PulseStep(.excite, .nanoseconds(30)), PulseStep(.detect, .nanoseconds(30))])
        await HIL.checkRefusedBeforeSending(dg, port, sequences: [(tooFast, "below the 100 ns burst period"),
                                                                 (Self.timeBin, "2 excite pulses per attempt, 1 output"),
                                                                 (PulseSequence([]), "empty")],
                                            counts: [0, -1, Int(Int32.max) + 1]) { $0.isOutOfRange || "\($0)".contains("empty") }
    }

    @Test func theInstrumentsErrorQueueBecomesATypedRefusal() async throws {
        let (dg, port) = try await connect(SRSDG645Emulator())
        defer { withExtendedLifetime(port) {} }
        await #expect(throws: PulseGeneratorError.rejected(device: "pulses", command: "DLAY 2,0,2500", reply: "LERR 12 illegal delay")) {
            try await dg.apply(["DLAY 2,0,2500"])
        }
        // A linked to B while B is linked to A: a loop.
        await #expect(throws: PulseGeneratorError.rejected(device: "pulses", command: "DLAY 3,2,0 … (2 commands)", reply: "LERR 13 illegal link")) {
            try await dg.apply(["DLAY 3,2,0", "DLAY 2,3,0"])
        }
        await #expect(throws: PulseGeneratorError.rejected(device: "pulses", command: "XYZW 1", reply: "LERR 111 undefined command")) {
            try await dg.apply(["XYZW 1"])
        }
        try await dg.apply(["TSRC 0"])
        await #expect(throws: PulseGeneratorError.rejected(device: "pulses", command: "*TRG", reply: "LERR 11 illegal mode")) {
            try await dg.trigger()
        }
    }

    /// Against a real DG645 when `IONLINK_HIL_CONFIG` binds one (or `IONLINK_HIL_DG645_PORT` names it),
    /// else the emulator: identify, program (the driver reads every delay back), a burst armed.
    @Test func programsAndReadsBackOnARealOrEmulatedUnit() async throws {
        let dg = try await HIL.checkProgramsAndArms(SRSDG645.self, model: "dg645", usb: usb, emulator: { SRSDG645Emulator() },
                                                    sequence: Self.timeBin)
        #expect(dg.identity.model == "DG645")
        #expect(await dg.programmed()?.period == .nanoseconds(1300))
    }

    @Test func wireFaultsAreTypedAndRecovered() async throws {
        let (dg, port) = try await connect(SRSDG645Emulator())
        await HIL.checkFaultRecovery(port, limit: .milliseconds(1500), isTyped: { $0 is PulseGeneratorError }) {
            _ = try await dg.instrumentStatus()
        }
        try await dg.program(Self.polarization)
    }

    @Test func unplugThenReconnect() async throws {
        let emulator = SRSDG645Emulator()
        try await HIL.checkUnplugThenReconnect(SRSDG645.self, emulator: emulator, usb: usb, sequence: Self.polarization)
        #expect(emulator.pulse(output: 2) == (500_000, 50_000))
    }

    @Test func anotherInstrumentIsSentOnlyTheIdentificationQuery() async throws {
        let port = try HIL.emulate(Cobolt0601Emulator(), usb: HIL.ftdi)
        await HIL.checkWrongInstrument(port, throws: PulseGeneratorError.self, sentOnly: "*IDN?\n") {
            _ = try await SRSDG645.connect(name: "pulses", port: .path(port.devnode), timeout: .milliseconds(300), logger: HIL.logger)
        }
    }
}
