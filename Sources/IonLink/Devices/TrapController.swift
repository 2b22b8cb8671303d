/// RF drive of a Paul trap.
public struct RFDrive: Sendable, Hashable {
    public var frequency: Frequency
    public var amplitude: Voltage
    public init(frequency: Frequency, amplitude: Voltage) {
        self.frequency = frequency
        self.amplitude = amplitude
    }
}

/// A measurement basis for one qubit (Pauli operator measured).
public enum PauliBasis: String, Sendable, Hashable, CaseIterable, Codable {
    case x = "X", y = "Y", z = "Z"
}

/// An ion trap with its electrodes, RF, fluorescence imaging, loading and qubit readout.
public protocol TrapController: Device {
    /// The number of DC electrodes.
    var electrodeCount: Int { get }
    /// The allowed DC electrode voltage range.
    var electrodeLimit: SetpointLimit<Voltage> { get }
    /// The allowed RF amplitude range; ``setRF(_:)`` refuses anything outside it before sending.
    var rfAmplitudeLimit: SetpointLimit<Voltage> { get }
    func setElectrode(_ index: Int, to voltage: Voltage) async throws(TrapControllerError)
    func electrodeVoltage(_ index: Int) async throws(TrapControllerError) -> Voltage
    func setRF(_ drive: RFDrive) async throws(TrapControllerError)
    func rf() async throws(TrapControllerError) -> RFDrive
    /// Counts fluorescence photons on the imaging detector for `exposure` with the cooling light on:
    /// an ion scatters, an empty trap shows only background.
    func fluorescenceCounts(exposure: Duration) async throws(TrapControllerError) -> Int
    /// Runs the oven and photoionisation lasers until an ion is trapped or `timeout` passes.
    /// Returns the time loading took.
    func load(timeout: Duration) async throws(TrapControllerError) -> Duration
    /// Rotates the qubit into `basis` and reads it out by state-dependent fluorescence.
    /// Returns the eigenvalue, +1 or −1.
    func measureQubit(in basis: PauliBasis) async throws(TrapControllerError) -> Int
}
