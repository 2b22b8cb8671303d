import Foundation
import Testing
import IonLink
@testable import IonLinkDrivers
@testable import IonLinkMocks

/// The TDC1 driver through the real libserialport against its emulator (Poisson singles on inputs 1
/// and 2 plus coincidences of both; or a real TDC1 named by IONLINK_HIL_TDC1_PORT for the tests that
/// need no fault injection or known rates).
@Suite(.serialized) struct SFifteenTDC1Tests {
    let usb = VirtualUSBIdentity(vendorID: 0x04D8, productID: 0xF8B8, serialNumber: "TDC1-T1", manufacturer: "S-Fifteen Instruments",
                                 product: "TDC1", attachment: .cdcACM)

    func emulated() throws -> (SFifteenTDC1Emulator, EmulatedSerialPort) { try HIL.emulated(SFifteenTDC1Emulator(), usb: usb) }

    func connect(_ port: SerialPortLocator) async throws -> SFifteenTDC1 {
        try await SFifteenTDC1.connect(name: "tdc1", port: port, acquisition: .milliseconds(100), timeout: .milliseconds(400), logger: HIL.logger)
    }

    /// A tagger connected to a fresh emulator, with the emulator and its port.
    func connected() async throws -> (SFifteenTDC1, SFifteenTDC1Emulator, EmulatedSerialPort) {
        let (emulator, port) = try emulated()
        return (try await connect(.path(port.devnode)), emulator, port)
    }

    /// Collects `acquisitions` batches from the stream.
    func stream(_ tagger: SFifteenTDC1, acquisitions: Int) async throws -> [TagBatch] {
        let s = try await tagger.startStreaming()
        var batches: [TagBatch] = []
        for await b in s {
            batches.append(b)
            if batches.count == acquisitions { break }
        }
        await tagger.stopStreaming()
        return batches
    }

    @Test func streamsTimestampsWithTheEmittedRates() async throws {
        let (tagger, emulator, port) = try await connected()
        defer { withExtendedLifetime(port) {} }
        #expect(tagger.identity.model == "TDC1")
        let batches = try await stream(tagger, acquisitions: 5)
        let tags = batches.flatMap(\.tags)
        #expect(batches.allSatisfy { $0.overflowLost == 0 })
        #expect(zip(tags, tags.dropFirst()).allSatisfy { $0.picoseconds <= $1.picoseconds }, "time order across the wrap-free stream")
        #expect(tags.allSatisfy { $0.picoseconds % 2_000 == 0 }, "2 ns resolution")
        let seconds = 0.5
        for (ch, rate) in [(Int32(0), emulator.rates[0] + emulator.coincidenceRate), (1, emulator.rates[1] + emulator.coincidenceRate)] {
            let n = Double(tags.filter { $0.channel == ch }.count)
            #expect(abs(n - rate * seconds) < 5 * (rate * seconds).squareRoot(), "channel \(ch): \(n) tags")
        }
        // Coincidences arrive as two tags with one time stamp.
        var byTime: [Int64: Set<Int32>] = [:]
        for t in tags { byTime[t.picoseconds, default: []].insert(t.channel) }
        let pairs = Double(byTime.values.filter { $0 == [0, 1] }.count)
        #expect(abs(pairs - emulator.coincidenceRate * seconds) < 5 * (emulator.coincidenceRate * seconds).squareRoot())
        #expect(tags.allSatisfy { $0.channel < 2 }, "no events on idle inputs, and the marker word is not an event")
    }

    @Test func unwrapsThe27BitTime() async throws {
        let (tagger, _, _) = try await connected()
        // Two words: just before the wrap, then just after it.
        func word(_ ticks: UInt32, _ pattern: UInt32) -> [UInt8] {
            let w = (ticks << 5) | pattern
            return [UInt8(w & 0xFF), UInt8((w >> 8) & 0xFF), UInt8((w >> 16) & 0xFF), UInt8(w >> 24)]
        }
        // The first read ends one byte into a third word; the second read brings its other three bytes.
        let third = word(5, 0b0100)
        let batch = await tagger.decode(word((1 << 27) - 1, 0b0001) + word(3, 0b0010) + [third[0]])
        let wrap: Int64 = 1 << 27
        let expected: [Int64] = [(wrap - 1) * 2_000, (wrap + 3) * 2_000]
        #expect(batch.tags.map(\.picoseconds) == expected)
        #expect(batch.tags.map(\.channel) == [0, 1])
        #expect(batch.overflowLost == 0)
        let next = await tagger.decode(Array(third[1...]) + word(6, 0b1000))
        #expect(next.tags.map(\.channel) == [2, 3], "the split word completed, the next one after it")
        #expect(next.tags.map(\.picoseconds) == [(wrap + 5) * 2_000, (wrap + 6) * 2_000])
    }

    @Test func singlesCounts() async throws {
        let emulator = SFifteenTDC1Emulator()
        let (path, emulated) = try HIL.realOrEmulated("tdc1", usb: usb) { emulator }
        defer { withExtendedLifetime(emulated) {} }
        let tagger = try await connect(.path(path))
        let counts = try await tagger.singles()
        #expect(counts.count == 4)
        if emulated != nil {
            let expected = (emulator.rates[0] + emulator.coincidenceRate) * 0.1
            #expect(abs(Double(counts[0]) - expected) < 5 * expected.squareRoot())
            #expect(counts[2] == 0 && counts[3] == 0)
        }
    }

    @Test func faultsAreTypedAndRecovered() async throws {
        let (tagger, _, port) = try await connected()
        // A hang never ends; 2 s (five timeouts) leaves room for a loaded machine (1.34 s seen in a full run
        // beside the replay suites) and still catches one.
        await HIL.checkFaultRecovery(port, limit: .milliseconds(2000), isTyped: { $0 is TimeTaggerError }) {
            _ = try await tagger.singles()
        }
    }

    @Test func wrongInstrumentGetsOnlyTheIdentificationQuery() async throws {
        let port = try HIL.emulate(CoherentOBISEmulator(), usb: HIL.ftdi)
        await HIL.checkWrongInstrument(port, throws: TimeTaggerError.self, sentOnly: "*IDN?\r\n") { _ = try await connect(.path(port.devnode)) }
    }

    @Test func unplugEndsTheStreamAndReplugStreamsAgain() async throws {
        let (_, port) = try emulated()
        let tagger = try await connect(.usb(vendorID: usb.vendorID, productID: usb.productID, serialNumber: usb.serialNumber))
        let s = try await tagger.startStreaming()
        var seen = 0
        let clock = ContinuousClock()
        let start = clock.now
        for await _ in s {
            seen += 1
            if seen == 2 { port.unplug() }
        }
        #expect(seen >= 2 && clock.now - start < .seconds(3), "the stream finished instead of hanging")
        try port.plugIn()
        let again = try await stream(tagger, acquisitions: 1)
        #expect(again.count == 1 && !again[0].tags.isEmpty)
    }
}
