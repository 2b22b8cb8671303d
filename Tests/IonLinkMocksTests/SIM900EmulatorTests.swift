import Foundation
import Testing
@testable import IonLinkMocks

/// The SIM900 rack emulator as independent clients use it: modules found by `CTCR?` after a reset, and the
/// SIM928's errors in its standard event status register, as its manual has them.
@Suite struct SIM900EmulatorTests {
    func ask(_ rack: SIM900Emulator, _ line: String) -> String {
        rack.receive(Array((line + "\n").utf8)).map { String(decoding: $0, as: UTF8.self) }.joined()
    }

    /// Relays `command` to port 1 and returns the module's reply bytes (`GETN?` framing removed).
    func module(_ rack: SIM900Emulator, _ command: String) -> String {
        _ = ask(rack, "SNDT 1,\"\(command)\"")
        let reply = Array(ask(rack, "GETN? 1,128").utf8)
        return String(decoding: reply.dropFirst(5).dropLast(2), as: UTF8.self)
    }

    /// qcodes_contrib's SIM928 driver sends *DCL, FLSH and SRST, then reads CTCR? as the occupied ports.
    @Test func ctcrShowsTheConnectedModulesAfterAReset() {
        let rack = SIM900Emulator.snspdBiasRack(circuits: [SNSPDCircuit(), SNSPDCircuit()])
        for line in ["*DCL", "FLSH", "SRST"] { _ = ask(rack, line) }
        // SIM928s in ports 1 and 2, the SIM970 in port 7: bits 1, 2 and 7.
        #expect(ask(rack, "CTCR?") == "\((1 << 1) | (1 << 2) | (1 << 7))\r\n")
    }

    /// A command error sets *ESR? bit 5 (32), an out-of-range VOLT bit 4 (16); power-on sets bit 7 (128);
    /// reading clears; CESR? holds serial-link errors only.
    @Test func sim928ErrorsAreInItsStandardEventStatus() {
        let rack = SIM900Emulator.snspdBiasRack()
        #expect(module(rack, "*ESR?") == "128\r\n", "PON after power-on")
        #expect(module(rack, "*ESR?") == "0\r\n", "cleared by reading")
        #expect(module(rack, "BOGUS") == "")
        #expect(module(rack, "VOLT 25") == "")
        #expect(module(rack, "CESR?") == "0\r\n")
        #expect(module(rack, "*ESR? 5") == "1\r\n")
        #expect(module(rack, "*ESR?") == "16\r\n", "bit 5 read and cleared alone; EXE left")
        #expect(module(rack, "LEXE?") == "1\r\n" && module(rack, "LCME?") == "1\r\n")
    }

    /// TERM sets the module's reply terminator (qcodes_contrib sends TERM LF); it is no command error.
    @Test func termSetsTheModulesTerminator() {
        let rack = SIM900Emulator.snspdBiasRack()
        _ = module(rack, "*ESR?")
        _ = ask(rack, "SNDT 1,\"TERM LF\"")
        _ = ask(rack, "SNDT 1,\"TERM?\"")
        #expect(ask(rack, "GETN? 1,128") == "#3002" + "2\n" + "\r\n")
        _ = ask(rack, "SNDT 1,\"TERM 3\"")
        #expect(module(rack, "*ESR?") == "0\r\n")
    }
}
