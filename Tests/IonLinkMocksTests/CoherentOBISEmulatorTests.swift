import Foundation
import Testing
@testable import IonLinkMocks

/// The OBIS emulator answers the query forms independent clients send (microscope's constructor asks
/// `SOURce:TEMPerature:APRobe?`; obis-laser-controller `SOURCE:POWER:CURRENT?`), with the handshake `OK`.
@Suite struct CoherentOBISEmulatorTests {
    func send(_ e: CoherentOBISEmulator, _ line: String) -> String {
        e.receive(Array((line + "\r\n").utf8)).map { String(decoding: $0, as: UTF8.self) }.joined()
    }

    @Test func queryFormsAnswerWithTheirValueAndOK() {
        let e = CoherentOBISEmulator()
        #expect(send(e, "SOURce:TEMPerature:APRobe?") == "ON\r\nOK\r\n")
        #expect(send(e, "SOUR:TEMP:APR OFF") == "OK\r\n")
        #expect(send(e, "sour:temp:apr?") == "OFF\r\nOK\r\n")
        #expect(send(e, "SOUR:TEMP:APR MAYBE") == "ERR-102\r\n", "a set form checks its argument")
        #expect(send(e, "SOURCE:POWER:CURRENT?") == "0.0000\r\nOK\r\n", "no current while off")
        #expect(send(e, "SOUR:TEMP:BAS?") == "28.50C\r\nOK\r\n")
        #expect(send(e, "SYST:INF:FVER?") == "V3.0.1\r\nOK\r\n")
        #expect(send(e, "SYST:ERR:COUN?") == "1\r\nOK\r\n", "the refused APR set above")
        #expect(send(e, "SYST:ERR:CLE") == "OK\r\n")
        #expect(send(e, "SYST:ERR:COUN?") == "0\r\nOK\r\n")
    }
}
