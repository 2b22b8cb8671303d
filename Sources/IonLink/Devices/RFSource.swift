/// An RF synthesiser output: trap RF drive or an AOM's drive.
///
/// Setpoints outside the limits are refused before anything is sent.
public protocol RFSource: Device {
    var frequencyLimit: SetpointLimit<Frequency> { get }
    var powerLimit: SetpointLimit<Power> { get }
    func setFrequency(_ frequency: Frequency) async throws(RFSourceError)
    func frequency() async throws(RFSourceError) -> Frequency
    /// Output power (construct with ``Power/dBm(_:)``).
    func setPower(_ power: Power) async throws(RFSourceError)
    func power() async throws(RFSourceError) -> Power
    func setOutput(_ on: Bool) async throws(RFSourceError)
    func isOutputOn() async throws(RFSourceError) -> Bool
}
