import Foundation
import Testing
@testable import IonLinkMocks

/// The iBeam smart emulator's replies to what independent clients send (microscope, pylablib, pymeasure,
/// Micro-Manager): each reply framed CR LF <body> CR LF [OK] CR LF, echo and prompt off.
@Suite struct TopticaIBeamSmartEmulatorTests {
    func quiet() -> TopticaIBeamSmartEmulator {
        let e = TopticaIBeamSmartEmulator(now: { 100 })
        _ = e.receive(Array("echo off\r\nprompt off\r\n".utf8))
        return e
    }

    func send(_ e: TopticaIBeamSmartEmulator, _ text: String) -> [String] {
        e.receive(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// microscope sends an empty command and expects the empty frame back; CR LF is one terminator.
    @Test func anEmptyLineGetsTheEmptyFrame() {
        let e = quiet()
        #expect(send(e, "\r\n") == ["\r\n[OK]\r\n"])
        #expect(send(e, "\r") == ["\r\n[OK]\r\n"])
        #expect(send(e, "\n") == [], "the LF of a CR LF split across writes")
        #expect(send(e, "sta la\r\n") == ["\r\nOFF\r\n[OK]\r\n"])
    }

    /// A power without a unit is in mW (microscope, Micro-Manager); `mic` selects µW (pylablib, pymeasure).
    @Test func aPowerWithoutAUnitIsInMilliwatts() {
        let e = quiet()
        _ = send(e, "channel 2 power 1.5\r\n")
        #expect(send(e, "sh lev pow\r\n") == ["\r\nCH1, PWR: 0.000 mW\r\nCH2, PWR: 1.500 mW\r\n[OK]\r\n"])
        _ = send(e, "ch 2 pow 250 mic\r\n")
        #expect(send(e, "sh lev pow\r\n") == ["\r\nCH1, PWR: 0.000 mW\r\nCH2, PWR: 0.250 mW\r\n[OK]\r\n"])
    }

    @Test func channelStatusDisableAllAndExternalModulation() {
        let e = quiet()
        #expect(send(e, "sta ch 2\r\n") == ["\r\nON\r\n[OK]\r\n"])
        #expect(send(e, "di 0\r\n") == ["\r\n[OK]\r\n"])
        #expect(send(e, "sta ch 2\r\n") == ["\r\nOFF\r\n[OK]\r\n"])
        #expect(send(e, "en ext\r\n") == ["\r\n[OK]\r\n"])
        #expect(send(e, "sta ext\r\n") == ["\r\nON\r\n[OK]\r\n"])
        #expect(send(e, "di ext\r\nsta ext\r\n") == ["\r\n[OK]\r\n", "\r\nOFF\r\n[OK]\r\n"])
    }

    /// pylablib parses `TEMP = x C` for the system temperature too; microscope reads Pmax from `sh sat`.
    @Test func temperaturesSatelliteAndUptime() {
        let e = quiet()
        #expect(send(e, "sh temp sys\r\n") == ["\r\nTEMP = 31.2 C\r\n[OK]\r\n"])
        #expect(send(e, "show satellite\r\n") == ["\r\n  Pmax: 40 mW\r\n[OK]\r\n"])
        #expect(send(e, "status uptime\r\n") == ["\r\nPowerUp: 0 h + 0 s\r\nLaserOn: 0 h + 0 s\r\n[OK]\r\n"])
    }
}
