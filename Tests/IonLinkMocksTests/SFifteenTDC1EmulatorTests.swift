import Foundation
import Testing
@testable import IonLinkMocks

/// The TDC1 emulator's reference-clock commands and its unlimited (`time 0`) acquisition, as S-Fifteen's own
/// clients (pyS15, s15lib) send them.
@Suite struct SFifteenTDC1EmulatorTests {
    func send(_ e: SFifteenTDC1Emulator, _ text: String) -> String {
        e.receive(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }.joined()
    }

    @Test func referenceClockIsSetAndReadBack() {
        let e = SFifteenTDC1Emulator()
        #expect(send(e, "REFCLK?\r\n") == "0\r\n")
        #expect(send(e, "REFCLK 2\r\nREFCLK?\r\n") == "2\r\n")
        #expect(send(e, "REFCLK 5\r\n") == "Invalid argument\r\n")
        #expect(send(e, "refclk?\r\n") == "2\r\n")
    }

    /// `time 0` in timestamp mode: `counts?` sends the marker word, then words stream as the clock runs (none
    /// while it stands still) until `abort`; in singles mode it counts for no time.
    @Test func timeZeroStreamsTimestampsUntilAbort() {
        final class Clock { var seconds = 5.0 }
        let clock = Clock()
        let e = SFifteenTDC1Emulator(seed: 15, now: { clock.seconds })
        #expect(send(e, "timestamp;time 0;time?\r\n") == "0\r\n")
        #expect(e.receive(Array("counts?\r\n".utf8)) == [[0x10, 0, 0, 0]])
        #expect(e.isStreaming && e.streamed().isEmpty)
        clock.seconds += 0.05
        let first = e.streamed()
        clock.seconds += 0.05
        let second = e.streamed()
        let words = (first + second).chunks4
        #expect(first.count == 4 * 223 && second.count == 4 * 204)
        #expect(words.allSatisfy { $0 & 0x10 == 0 && $0 & 0x0F != 0 })
        #expect(zip(words, words.dropFirst()).allSatisfy { $0 >> 5 <= $1 >> 5 })
        #expect(send(e, "abort\r\n") == "")
        clock.seconds += 1
        #expect(!e.isStreaming && e.streamed().isEmpty)
        #expect(send(e, "singles;counts?\r\n") == "0 0 0 0\r\n")
        #expect(send(e, "time 65536\r\n") == "Invalid argument\r\n")
    }
}

extension [UInt8] {
    /// The bytes as little-endian 32-bit words.
    var chunks4: [UInt32] {
        stride(from: 0, to: count - 3, by: 4).map { i in (0..<4).reduce(UInt32(0)) { $0 | UInt32(self[i + $1]) << (8 * $1) } }
    }
}
