import IonLink

extension ControllerTarget {
    /// A converter oven's methods: its setpoint and temperature in degrees Celsius, its heater on or off.
    public static func oven(_ oven: any TemperatureController, role: String) -> ControllerTarget {
        @Sendable func call<T>(_ body: () async throws(TemperatureControllerError) -> T) async throws(ControllerFailure) -> T {
            do throws(TemperatureControllerError) { return try await body() } catch { throw ControllerFailure(error) }
        }
        return ControllerTarget(name: role, docstring: "IonLink converter oven \(role)", device: oven, methods: [
            ControllerMethod("set_setpoint_c", [("celsius", "float")],
                             doc: "Sets the oven's setpoint, in °C; refused (ValueError) outside setpoint_limit_c().") {
                a throws(ControllerFailure) in
                let t = Temperature.celsius(try a.double("celsius"))
                try await call { () throws(TemperatureControllerError) in try await oven.setSetpoint(t) }
                return .none
            },
            ControllerMethod("setpoint_c", doc: "The setpoint as the controller reports it, in °C.") { _ throws(ControllerFailure) in
                .float(try await call { () throws(TemperatureControllerError) in try await oven.setpoint() }.celsius)
            },
            ControllerMethod("measured_c", doc: "The crystal's temperature as the sensor reads it, in °C.") { _ throws(ControllerFailure) in
                .float(try await call { () throws(TemperatureControllerError) in try await oven.measuredTemperature() }.celsius)
            },
            ControllerMethod("set_output", [("on", "bool")], doc: "Switches the heater on (True) or off (False).") { a throws(ControllerFailure) in
                let on = try a.bool("on")
                try await call { () throws(TemperatureControllerError) in try await oven.setOutput(on) }
                return .none
            },
            ControllerMethod("output_on", doc: "Whether the heater is on.") { _ throws(ControllerFailure) in
                .bool(try await call { () throws(TemperatureControllerError) in try await oven.isOutputOn() })
            },
            ControllerMethod("setpoint_limit_c", doc: "(lower, upper): the setpoints the lab YAML allows, in °C.") { _ in
                .tuple([.float(oven.setpointLimit.lower.celsius), .float(oven.setpointLimit.upper.celsius)])
            },
        ])
    }
}
