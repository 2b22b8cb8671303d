import Testing
import IonLink
import IonLinkDrivers
@testable import IonLinkMocks

/// What the pulse-generator suites check the same way of each serial generator.
extension HIL {
    /// Serves `emulator` on a new virtual port and connects a `G` named `pulses` to it by path.
    static func connect<G: SerialPulseGenerator>(_: G.Type, to emulator: any InstrumentEmulator, usb: VirtualUSBIdentity,
                                                 outputs: [PulseRole: [G.Output]] = G.defaultOutputs)
        async throws -> (G, EmulatedSerialPort)
    {
        let port = try emulate(emulator, usb: usb)
        let generator = try await G.connect(name: "pulses", port: .path(port.devnode), outputs: outputs, timeout: .milliseconds(300),
                                            logger: logger)
        return (generator, port)
    }

    /// Programs `sequence`, arms a burst of `count` attempts and triggers it twice.
    static func armAndTriggerTwice(_ generator: some SerialPulseGenerator, _ sequence: PulseSequence, count: Int) async throws {
        try await generator.program(sequence)
        try await generator.armBurst(count: count)
        try await generator.trigger()
        try await generator.trigger()
    }

    /// Each of `sequences` (with why it cannot be produced) is refused with an error `isExpected` accepts,
    /// and each of `counts` is refused as a burst count, before anything reaches `port`.
    static func checkRefusedBeforeSending(_ generator: some SerialPulseGenerator, _ port: EmulatedSerialPort,
                                          sequences: [(PulseSequence, String)], counts: [Int],
                                          isExpected: (PulseGeneratorError) -> Bool) async {
        for (sequence, why) in sequences {
            do {
                try await generator.program(sequence)
                Issue.record("\(why): accepted")
            } catch {
                #expect(isExpected(error), "\(why): \(error)")
            }
        }
        for count in counts {
            await #expect(throws: PulseGeneratorError.self) { try await generator.armBurst(count: count) }
        }
        #expect(port.receivedBytes.isEmpty, "nothing reached the instrument")
    }

    /// Against the real unit named for `model` (``realOrEmulated(_:usb:emulator:)``), else `emulator()`:
    /// connects, programs `sequence` (the driver reads it back), arms a burst of 10 and stops. Returns the
    /// driver for the suite's own checks of what it learned.
    static func checkProgramsAndArms<G: SerialPulseGenerator>(_: G.Type, model: String, usb: VirtualUSBIdentity,
                                                              emulator: () -> any InstrumentEmulator,
                                                              sequence: PulseSequence) async throws -> G {
        let (path, emulated) = try realOrEmulated(model, usb: usb, emulator: emulator)
        defer { withExtendedLifetime(emulated) {} }
        let generator = try await G.connect(name: "pulses", port: .path(path), timeout: .milliseconds(500), logger: logger)
        try await generator.program(sequence)
        try await generator.armBurst(count: 10)
        try await generator.stop()
        return generator
    }

    /// Unplugging the unit as `sequence` is programmed is a typed disconnection; once it is plugged in
    /// again the same driver, finding it by its USB identity, programs `sequence`.
    static func checkUnplugThenReconnect<G: SerialPulseGenerator>(_: G.Type, emulator: any InstrumentEmulator, usb: VirtualUSBIdentity,
                                                                  sequence: PulseSequence) async throws {
        let port = try emulate(emulator, usb: usb)
        let locator = SerialPortLocator.usb(vendorID: usb.vendorID, productID: usb.productID, serialNumber: usb.serialNumber)
        // No reply is meant to time out here, so the timeout is one a loaded machine cannot run out (300 ms did, once).
        let generator = try await G.connect(name: "pulses", port: locator, timeout: .seconds(2), logger: logger)
        port.faults.withLock { $0.unplugOnNextCommand = true }
        await #expect(throws: PulseGeneratorError.disconnected(device: "pulses")) { try await generator.program(sequence) }
        try port.plugIn()
        try await generator.program(sequence)
    }
}
