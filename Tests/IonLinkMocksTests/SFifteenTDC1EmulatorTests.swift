import Foundation
import Testing
@testable import IonLinkMocks

/// The TDC1 emulator's reference-clock commands as S-Fifteen's own client (pyS15) sends them.
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
}
