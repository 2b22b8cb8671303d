/// A heater or TEC controller holding one load at a temperature: a frequency converter's crystal oven, whose
/// temperature sets the phase matching.
///
/// Setpoints outside ``setpointLimit`` are refused before anything is sent.
public protocol TemperatureController: Device {
    /// The setpoints this controller accepts (the lab YAML's limit within the instrument's own range).
    var setpointLimit: SetpointLimit<Temperature> { get }
    func setSetpoint(_ temperature: Temperature) async throws(TemperatureControllerError)
    /// The setpoint as the controller reports it.
    func setpoint() async throws(TemperatureControllerError) -> Temperature
    /// The load's temperature as its sensor reads it.
    func measuredTemperature() async throws(TemperatureControllerError) -> Temperature
    /// Switches the heater output on or off.
    func setOutput(_ on: Bool) async throws(TemperatureControllerError)
    func isOutputOn() async throws(TemperatureControllerError) -> Bool
}
