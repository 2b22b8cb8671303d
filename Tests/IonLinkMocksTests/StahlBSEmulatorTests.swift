import Foundation
import Testing
@testable import IonLinkMocks

/// The Stahl BS emulator's lock status as qcodes' Stahl driver and the TU Darmstadt labscript driver read it.
@Suite struct StahlBSEmulatorTests {
    /// One byte per group of four channels, 0x10 (the marker bit, no channel locked), then CR.
    @Test func lockStatusShowsNoChannelLocked() {
        let e = StahlBSEmulator()
        #expect(e.receive(Array("BS123 LOCK\r".utf8)).flatMap { $0 } == [0x10, 0x10, 0x10, 0x10, 0x0D])
    }
}
