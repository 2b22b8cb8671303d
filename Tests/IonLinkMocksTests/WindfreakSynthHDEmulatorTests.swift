import Foundation
import Testing
@testable import IonLinkMocks

/// The SynthHD emulator's tokeniser and settings, bytes in and replies out, as the serial programming
/// API has them (and as the public `windfreak` client sends them).
@Suite struct WindfreakSynthHDEmulatorTests {
    func replies(_ e: WindfreakSynthHDEmulator, _ text: String) -> [String] {
        e.receive(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every documented query answers (a client that reads one would otherwise wait out its timeout).
    @Test func theSettingsAnswerTheirQueries() {
        let e = WindfreakSynthHDEmulator()
        #expect(replies(e, "x?w?*?C0a?i?Z?Vl?t?[?A?j?D?/?") == [
            "1\n", "0\n", "27.00000000\n", "0\n", "100.0\n", "3\n", "1\n", "1000.00000000\n", "4.000\n", "-10.000\n", "0\n", "0\n",
            "0\n", "0\n",
        ])
        _ = replies(e, "x2w1*10.00000000C1a1200i50.0Z0")
        #expect(replies(e, "x?w?*?C1a?i?Z?C0a?Z?") == ["2\n", "1\n", "10.00000000\n", "1200\n", "50.0\n", "0\n", "0\n", "3\n"],
                "the VGA DAC, spacing and compensation are the channel's")
        // Out of range: kept.
        _ = replies(e, "x7t2a5000")
        #expect(replies(e, "x?t?a?") == ["2\n", "4.000\n", "0\n"])
    }

    /// An unknown or sweep command's negative argument is its own, not a serial-number query.
    @Test func aNegativeArgumentBelongsToItsCommand() {
        let e = WindfreakSynthHDEmulator(serialNumber: "777")
        #expect(replies(e, "[-20.000]-15.500[?]?") == ["-20.000\n", "-15.500\n"])
        #expect(replies(e, "Q-5f?-") == ["1000.00000000\n", "777\n"], "an unknown command is consumed with its argument")
        #expect(replies(e, "@3a-12.5@3a?@4a?") == ["-12.500\n", "0.000\n"])
    }

    /// A setting whose number is cut off by the end of one write is completed by the next.
    @Test func anArgumentSplitAcrossWritesIsJoined() {
        let e = WindfreakSynthHDEmulator()
        #expect(replies(e, "C0f25").isEmpty)
        #expect(replies(e, "00.5").isEmpty)
        #expect(replies(e, "f?W-1") == ["2500.50000000\n"])
        #expect(replies(e, "2.25W?") == ["-12.250\n"])
        // A new command at the start of a write is not a continuation.
        #expect(replies(e, "W?").first == "-12.250\n")
    }

    /// The emission the world follows: PLL, amplifier and output all on; phase as set.
    @Test func emissionNeedsPLLAmplifierAndOutput() {
        let e = WindfreakSynthHDEmulator()
        var seen: [(Int, WindfreakSynthHDEmulator.Emission)] = []
        e.emissionChanged = { seen.append(($0, $1)) }
        _ = replies(e, "C1~270.000h1E1")
        #expect(e.emissions[1].on == false)
        _ = replies(e, "r1")
        #expect(e.emissions[1].on && e.emissions[1].phaseDegrees == 270 && !e.emissions[0].on)
        #expect(seen.last?.0 == 1 && seen.last?.1.on == true)
    }
}
