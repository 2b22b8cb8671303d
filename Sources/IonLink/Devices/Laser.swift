/// Fault and interlock state of a laser.
public struct LaserStatus: Sendable, Hashable {
    /// `true` when the interlock loop is closed (emission permitted).
    public var interlockClosed: Bool
    /// Fault code, 0 for none.
    public var faultCode: Int
    /// Whether the laser is emitting.
    public var emitting: Bool

    public init(interlockClosed: Bool, faultCode: Int, emitting: Bool) {
        self.interlockClosed = interlockClosed
        self.faultCode = faultCode
        self.emitting = emitting
    }
}

/// A CW or pulsed laser source: cooling, optical pumping or excitation light.
///
/// A setpoint outside ``powerLimit`` throws ``LaserError/setpointOutOfRange(device:requested:allowed:)``
/// before anything reaches the instrument.
public protocol Laser: Device {
    /// The configured allowed power range.
    var powerLimit: SetpointLimit<Power> { get }
    /// The emission wavelength.
    func wavelength() async throws(LaserError) -> Wavelength
    /// Sets the output power setpoint.
    func setPower(_ power: Power) async throws(LaserError)
    /// The power setpoint most recently accepted.
    func powerSetpoint() async throws(LaserError) -> Power
    /// The measured output power.
    func measuredPower() async throws(LaserError) -> Power
    /// Switches emission on or off.
    func setEmission(_ on: Bool) async throws(LaserError)
    /// Fault, interlock and emission state.
    func status() async throws(LaserError) -> LaserStatus
}
