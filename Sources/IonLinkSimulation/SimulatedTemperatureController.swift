import Foundation
import IonLink
import Logging

/// A simulated crystal oven under its controller: setpoint limits, and a load that follows the setpoint with a
/// first-order response (Newton's law of cooling under proportional control: T(t) = T_target + (T₀ − T_target)·e^{−t/τ})
/// in lab time, relaxing to the ambient temperature while the heater is off. It starts warm and on at its setpoint,
/// as a converter's oven is kept between runs.
public actor SimulatedTemperatureController: TemperatureController {
    public nonisolated let name: String
    public nonisolated let setpointLimit: SetpointLimit<Temperature>
    public nonisolated let capabilities: Set<DeviceCapability> = []
    private let clock: any LabClock
    private let timeConstant: Duration
    private let ambient: Temperature
    private var target: Temperature
    private var on = true
    private var temperature: Temperature
    private var updated: Duration
    private let logger: Logger

    /// - Parameter timeConstant: the oven's thermal time constant (tens of seconds for a waveguide oven).
    public init(name: String, setpoint: Temperature, limit: SetpointLimit<Temperature>, clock: any LabClock,
                timeConstant: Duration = .seconds(30), ambient: Temperature = .celsius(22), logger: Logger) {
        self.name = name
        setpointLimit = limit
        self.clock = clock
        self.timeConstant = timeConstant
        self.ambient = ambient
        target = setpoint
        temperature = setpoint
        updated = clock.now()
        self.logger = logger.forDevice(name)
    }

    public func identify() async throws -> DeviceIdentity {
        DeviceIdentity(vendor: "IonLink", model: "SimulatedOven", serialNumber: name, firmware: "sim")
    }

    /// Moves the load from the last look to now.
    private func advance() {
        let now = clock.now()
        let dt = (now - updated).inSeconds
        let goal = on ? target : ambient
        temperature = Temperature(si: goal.si + (temperature.si - goal.si) * exp(-dt / timeConstant.inSeconds))
        updated = now
    }

    public func setSetpoint(_ t: Temperature) async throws(TemperatureControllerError) {
        guard setpointLimit.allows(t) else { throw .setpointOutOfRange(device: name, requested: t, allowed: setpointLimit) }
        advance()
        logger.debug("setpoint", metadata: ["celsius": "\(t.celsius)"])
        target = t
    }

    public func setpoint() async throws(TemperatureControllerError) -> Temperature { target }

    public func measuredTemperature() async throws(TemperatureControllerError) -> Temperature {
        advance()
        return temperature
    }

    public func setOutput(_ on: Bool) async throws(TemperatureControllerError) {
        advance()
        self.on = on
    }

    public func isOutputOn() async throws(TemperatureControllerError) -> Bool { on }
}
