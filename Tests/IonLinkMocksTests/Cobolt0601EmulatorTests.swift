import Foundation
import Testing
@testable import IonLinkMocks

/// The Cobolt 06-01 emulator's identification, current, mode and modulation commands, as Cobolt's own clients
/// (pycobolt, its Micro-Manager adapter) and QMI and pylablib send them.
@Suite struct Cobolt0601EmulatorTests {
    func send(_ e: Cobolt0601Emulator, _ lines: String...) -> [String] {
        lines.map { e.respond(to: $0) }
    }

    @Test func identityAndTemperatures() {
        let e = Cobolt0601Emulator()
        #expect(send(e, "glm?", "gcn?", "gsn?", "rbpt?", "rtect?", "@cobasks?") ==
                ["0488-06-01-0100-100", "06-MLD 488nm", "21837", "25.3", "25.0", "1"])
    }

    /// `glc?` is the setpoint whatever the laser does; `i?` and `rlc?` the measured current; `gam?` the mode.
    @Test func currentSetpointMeasuredCurrentAndMode() {
        let e = Cobolt0601Emulator(now: { 0 })
        #expect(send(e, "gam?", "slc 150", "glc?", "i?", "rlc?") == ["1", "OK", "150.0", "0.0", "0.0"])
        #expect(send(e, "ci", "gam?", "l1", "glc?", "i?", "rlc?") == ["OK", "0", "OK", "150.0", "150.0", "150.0"])
        #expect(send(e, "em", "gam?", "cp", "gam?") == ["OK", "2", "OK", "1"])
    }

    @Test func modulationSettings() {
        let e = Cobolt0601Emulator()
        #expect(send(e, "gdmes?", "games?", "galis?") == ["0", "0", "0"])
        #expect(send(e, "sdmes 1", "sames 1", "salis 1", "gdmes?", "games?", "galis?") == ["OK", "OK", "OK", "1", "1", "1"])
        #expect(send(e, "sames 0", "games?", "sdmes 2") == ["OK", "0", "Syntax error: illegal argument"])
    }
}
