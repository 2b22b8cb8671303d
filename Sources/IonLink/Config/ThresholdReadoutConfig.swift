import Foundation

/// How a trap's qubits are read out when instruments do it (`<node>.trap.threshold_readout`): the
/// node's photon counter (`<node>.readout`) counts fluorescence for the trap's `readout_duration_us`,
/// and an ion counting at least `threshold` photons is bright (|0⟩, eigenvalue +1); before the count, the
/// node's qubit drive (`<node>.qubit_drive`, an RF source with a settable phase) gives the analysis
/// π/2 pulse that turns the X or Y basis into Z (none for Z).
public struct ThresholdReadoutConfig: Sendable, Hashable {
    /// Counts at or above which the ion reads bright.
    public var threshold: Int
    /// The qubit drive's carrier, at the qubit's frequency.
    public var driveFrequency: Frequency
    /// The drive's output power, calibrated for a π/2 analysis pulse; no setpoint may exceed it.
    public var drivePower: Power
    /// The line of the section in the lab YAML, for errors found later.
    public var line: Int

    public init(threshold: Int, driveFrequency: Frequency, drivePower: Power, line: Int = 0) {
        self.threshold = threshold
        self.driveFrequency = driveFrequency
        self.drivePower = drivePower
        self.line = line
    }
}

extension LabConfig {
    /// `threshold_readout: { threshold: 6, drive_frequency_mhz: 12, drive_power_dbm: 0 }`.
    static func parseThresholdReadout(_ s: ConfigSection, line: Int) throws(ConfigError) -> ThresholdReadoutConfig {
        let config = ThresholdReadoutConfig(threshold: try s.int("threshold", in: 1...1_000_000),
                                            driveFrequency: .megahertz(try s.double("drive_frequency_mhz", in: 0.001...100_000)),
                                            drivePower: .dBm(try s.double("drive_power_dbm", in: -100...40)), line: line)
        try s.finish()
        return config
    }
}
