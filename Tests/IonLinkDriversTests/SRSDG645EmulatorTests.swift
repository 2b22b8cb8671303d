import Testing
@testable import IonLinkMocks

/// The DG645 emulator's auxiliary commands, line by line (the manual's behaviour, docs/wire-protocols.md):
/// values are kept and read back, a refused one changes nothing and queues its code for `LERR?`.
@Suite struct SRSDG645EmulatorTests {
    func send(_ e: SRSDG645Emulator, _ lines: String...) -> [String] {
        lines.flatMap { e.receive(Array(($0 + "\n").utf8)) }.filter { !$0.isEmpty }.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func prescalersAndTheirPhasesAreKeptInRange() {
        let e = SRSDG645Emulator()
        #expect(send(e, "PRES 1,4", "PHAS 1,3", "PRES?1", "PHAS? 1", "PRES?0") == ["4\r\n", "3\r\n", "1\r\n"])
        // A phase at or past the prescale factor is an illegal value; factor 0 likewise; PHAS has no trigger-input form.
        #expect(send(e, "PHAS 1,4", "LERR?", "PRES 2,0", "LERR?", "PHAS?0", "LERR?", "PHAS?1") == ["10\r\n", "10\r\n", "10\r\n", "3\r\n"])
        // A smaller factor brings a phase it no longer allows back to 0.
        #expect(send(e, "PRES 1,2", "PHAS?1") == ["0\r\n"])
    }

    @Test func holdoffIsReadBackInTheDelayFormat() {
        let e = SRSDG645Emulator()
        #expect(send(e, "HOLD 0.001", "HOLD?", "HOLD 2001", "LERR?", "HOLD?") == ["+0.001000000000\r\n", "10\r\n", "+0.001000000000\r\n"])
    }

    @Test func savedSetupsComeBackAndAnEmptyLocationFails() {
        let e = SRSDG645Emulator()
        #expect(send(e, "DLAY 3,2,1e-6", "ADVT 1", "*SAV 2", "*RST", "ADVT?", "DLAY?3") == ["0\r\n", "2,+0.000000010000\r\n"])
        #expect(send(e, "*RCL 2", "ADVT?", "DLAY?3") == ["1\r\n", "2,+0.000001000000\r\n"])
        #expect(send(e, "*RCL 5", "LERR?", "*RCL 0", "ADVT?") == ["14\r\n", "0\r\n"])
    }

    @Test func theStatusByteFollowsItsEnables() {
        let e = SRSDG645Emulator()
        // An undefined command sets the command-error bit (5) of *ESR; with *ESE 32 it shows as ESB, with *SRE 32 as MSS too.
        #expect(send(e, "BOGUS", "*STB?", "*ESE 32", "*STB?", "*SRE 32", "*STB?") == ["0\r\n", "32\r\n", "96\r\n"])
        #expect(send(e, "*ESE?", "*SRE?", "*STB 1", "LERR?", "LERR?") == ["32\r\n", "32\r\n", "111\r\n", "113\r\n"])
    }
}
