import Foundation
import Testing
import IonLink
@testable import IonLinkDrivers
@testable import IonLinkMocks

/// The SIM900 / SIM928 / SIM970 SNSPD bias chain through the real libserialport against the mainframe
/// emulator and its modules, sharing one emulated nanowire (or a real rack named by
/// IONLINK_HIL_SIM900_PORT for the tests that need neither fault injection nor a forced latch).
@Suite(.serialized) struct SNSPDBiasChainTests {
    let usb = VirtualUSBIdentity(vendorID: 0x0403, productID: 0x6001, serialNumber: "SIM-T1", manufacturer: "FTDI", product: "USB-RS232 Cable")
    let spec = DetectorSpec(kind: .snspd, efficiency: Probability(unchecked: 0.8), darkCountRate: .hertz(10), deadTime: .nanoseconds(30),
                            jitterSigma: .picoseconds(20), afterpulseProbability: .zero, afterpulseDelay: .nanoseconds(50))

    func rack() throws -> (SNSPDCircuit, EmulatedSerialPort) {
        let circuit = SNSPDCircuit()
        return (circuit, try HIL.emulate(SIM900Emulator.snspdBiasRack(circuit: circuit), usb: usb))
    }

    /// A chain connected to a fresh rack, with the rack's nanowire and its port.
    func connectedRack() async throws -> (SNSPDBiasChain, SNSPDCircuit, EmulatedSerialPort) {
        let (circuit, port) = try rack()
        return (try await connect(.path(port.devnode)), circuit, port)
    }

    func connect(_ port: SerialPortLocator) async throws -> SNSPDBiasChain {
        let mainframe = try await SIM900.connect(name: "sim900", port: port, timeout: .milliseconds(400), logger: HIL.logger)
        return try await SNSPDBiasChain.connect(name: "snspd1", channel: 0, mainframe: mainframe, sourcePort: 1, voltmeterPort: 7,
                                                voltmeterChannel: 1, biasResistorOhms: 100_000,
                                                biasLimit: SetpointLimit(.zero, .microamperes(20)), spec: spec)
    }

    @Test func biasesAndReadsTheWire() async throws {
        let (path, emulated) = try HIL.realOrEmulated("sim900", usb: usb) { SIM900Emulator.snspdBiasRack(circuit: SNSPDCircuit()) }
        defer { withExtendedLifetime(emulated) {} }
        let det = try await connect(.path(path))
        #expect(await det.moduleIdentities().map(\.model) == ["SIM900", "SIM928", "SIM970"])
        try await det.setBias(.microamperes(10))
        #expect(abs(try await det.bias().microamperes - 10) < 0.02)
        try await det.setEnabled(true)
        #expect(try await det.latchState() == .normal)
        try await det.setEnabled(false)
    }

    @Test func overBiasLatchesAndRecoveryNeedsALowerBias() async throws {
        let (det, circuit, port) = try await connectedRack()
        defer { withExtendedLifetime(port) {} }
        try await det.setEnabled(true)
        try await det.setBias(.microamperes(13))          // above the wire's 12 µA switching current
        #expect(circuit.latched)
        #expect(try await det.latchState() == .latched)
        #expect(try await det.recoverFromLatch() == .latched, "back at 13 µA it latches again")
        try await det.setBias(.microamperes(11))
        #expect(try await det.recoverFromLatch() == .normal)
        #expect(!circuit.latched)
    }

    @Test func flashLatchIsDetectedAndCleared() async throws {
        let (det, circuit, port) = try await connectedRack()
        defer { withExtendedLifetime(port) {} }
        try await det.setBias(.microamperes(10))
        try await det.setEnabled(true)
        circuit.forceLatch()
        #expect(try await det.latchState() == .latched)
        #expect(try await det.recoverFromLatch() == .normal)
        #expect(abs(try await det.bias().microamperes - 10) < 0.02, "setpoint restored")
    }

    @Test func refusalBeforeSending() async throws {
        let (det, _, port) = try await connectedRack()
        port.clearReceived()
        await #expect(throws: PhotonDetectorError.self) { try await det.setBias(.microamperes(21)) }
        await #expect(throws: PhotonDetectorError.self) { try await det.setBias(.microamperes(-1)) }
        #expect(port.receivedBytes.isEmpty)
    }

    @Test func wrongInstrumentAndWrongModule() async throws {
        let obis = try HIL.emulate(CoherentOBISEmulator(), usb: HIL.ftdi)
        await HIL.checkWrongInstrument(obis, throws: PhotonDetectorError.self, sentOnly: "*IDN?\n") { _ = try await connect(.path(obis.devnode)) }
        // A voltmeter where the source should be.
        let circuit = SNSPDCircuit()
        let swapped = try HIL.emulate(SIM900Emulator(modules: [1: SIM970Emulator(circuit: circuit), 7: SIM928Emulator(circuit: circuit)]),
                                      usb: HIL.ftdi)
        await #expect(throws: PhotonDetectorError.wrongInstrument(device: "snspd1.port1", expected: "SRS SIM928",
                                                                   found: "Stanford_Research_Systems,SIM970,s/n023101,ver1.3")) {
            _ = try await connect(.path(swapped.devnode))
        }
    }

    @Test func faultsAreTypedAndRecovered() async throws {
        let (det, _, port) = try await connectedRack()
        await HIL.checkFaultRecovery(port, limit: .milliseconds(1500), isTyped: { $0 is PhotonDetectorError }) {
            _ = try await det.bias()
        }
    }

    @Test func unplugThenReconnect() async throws {
        let (_, port) = try rack()
        let det = try await connect(.usb(vendorID: usb.vendorID, productID: usb.productID, serialNumber: usb.serialNumber))
        try await det.setBias(.microamperes(5))
        port.faults.withLock { $0.unplugOnNextCommand = true }
        await #expect(throws: PhotonDetectorError.disconnected(device: "sim900")) { _ = try await det.bias() }
        try port.plugIn()
        #expect(abs(try await det.bias().microamperes - 5) < 0.02, "the rack kept its setpoint")
    }
}
