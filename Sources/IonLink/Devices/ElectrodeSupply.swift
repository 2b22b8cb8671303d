/// A multichannel DC supply for trap electrodes (errors: ``TrapControllerError``, as part of trap control).
///
/// Setpoints outside ``voltageLimit`` are refused before anything is sent.
public protocol ElectrodeSupply: Device {
    /// Number of output channels, numbered from 1 as on the front panel.
    var channelCount: Int { get }
    /// The configured allowed output range (never wider than the instrument's).
    var voltageLimit: SetpointLimit<Voltage> { get }
    /// Sets one channel's output.
    func setVoltage(_ voltage: Voltage, channel: Int) async throws(TrapControllerError)
    /// The channel's measured output.
    func measuredVoltage(channel: Int) async throws(TrapControllerError) -> Voltage
}
