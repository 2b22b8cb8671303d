import Foundation
import Testing

/// A node's readout by instruments (`<node>.readout`, `<node>.qubit_drive`, `trap.threshold_readout`)
/// whose parts do not fit together is refused when the lab is read: exit 2, the key and its line, nothing
/// opened (the instrument lab's files as ``HeraldStopConfigTests`` edits them).
@Suite struct ReadoutConfigTests {
    let lab = HeraldStopConfigTests()

    @Test func aCounterWithoutItsQubitDriveIsRefused() async throws {
        let path = try lab.labFile { $0.replacingOccurrences(of: "  A.qubit_drive:", with: "  # A.qubit_drive:") }
        let stderr = try await lab.refusal(path), at = try lab.line(of: "  A.readout:", in: path)
        #expect(stderr.contains("devices.A.readout") && stderr.contains("line \(at)") && stderr.contains("A.qubit_drive"), "\(stderr)")
    }

    @Test func aQubitDriveWithoutItsCounterIsRefused() async throws {
        let path = try lab.labFile { $0.replacingOccurrences(of: "  B.readout:", with: "  # B.readout:") }
        let stderr = try await lab.refusal(path), at = try lab.line(of: "  B.qubit_drive:", in: path)
        #expect(stderr.contains("devices.B.qubit_drive") && stderr.contains("line \(at)") && stderr.contains("B.readout"), "\(stderr)")
    }

    /// The TDC1 counts whole milliseconds: a 300 µs readout is a gate it cannot make.
    @Test func aReadoutDurationTheCounterCannotGateIsRefused() async throws {
        let path = try lab.labFile { $0.replacingOccurrences(of: "readout_duration_us: 1000  #", with: "readout_duration_us: 300  #") }
        let stderr = try await lab.refusal(path), at = try lab.line(of: "  A.readout:", in: path)
        #expect(stderr.contains("devices.A.readout") && stderr.contains("line \(at)") && stderr.contains("readout_duration_us 300"),
                "\(stderr)")
    }

    @Test func aCounterWithoutAThresholdIsRefused() async throws {
        let path = try lab.labFile {
            $0.replacingOccurrences(of: "      threshold_readout: { threshold: 10, drive_frequency_mhz: 12, drive_power_dbm: 0 }\n  B:",
                                    with: "\n  B:")
        }
        let stderr = try await lab.refusal(path)
        #expect(stderr.contains("devices.A.readout") && stderr.contains("threshold_readout"), "\(stderr)")
    }

    /// Over recorded heralds there are no ions the instruments entangled to read out.
    @Test func aCounterWithoutALiveTaggerIsRefused() async throws {
        let path = try lab.labFile { $0.replacingOccurrences(of: "model: tdc1, port: /dev/ttyNOPE2", with: "model: playback, port: /tmp/none.ptu")
                                      .replacingOccurrences(of: ", acquisition_ms: 1, quiet_ms: 5 }\n", with: " }\n") }
        let stderr = try await lab.refusal(path)
        #expect(stderr.contains("devices.A.readout") && stderr.contains("live hub.tagger"), "\(stderr)")
    }

    @Test func aThresholdOutOfRangeIsRefused() async throws {
        let path = try lab.labFile { $0.replacingOccurrences(of: "{ threshold: 10,", with: "{ threshold: 0,") }
        let stderr = try await lab.refusal(path)
        #expect(stderr.contains("threshold_readout.threshold"), "\(stderr)")
    }
}
