import IonLink

extension ControllerTarget {
    /// A laser's methods: power in watts, wavelength in metres, emission on or off.
    public static func laser(_ laser: any Laser, role: String) -> ControllerTarget {
        @Sendable func power(_ call: LaserCall) async throws(ControllerFailure) -> PyonValue {
            guard case let .power(p) = try await perform(call, on: laser) else { throw unexpected(role, call.command) }
            return .float(p.watts)
        }
        return ControllerTarget(name: role, docstring: "IonLink laser \(role)", device: laser, methods: [
            ControllerMethod("wavelength_m", doc: "The laser's wavelength, in metres.") { _ throws(ControllerFailure) in
                guard case let .wavelength(w) = try await perform(LaserCall.wavelength, on: laser) else { throw unexpected(role, "wavelength") }
                return .float(w.si)
            },
            ControllerMethod("set_power_w", [("watts", "float")],
                             doc: "Sets the output power, in watts; refused (ValueError) outside power_limit_w().") { a throws(ControllerFailure) in
                _ = try await perform(LaserCall.setPower(.watts(try a.double("watts"))), on: laser)
                return .none
            },
            ControllerMethod("power_setpoint_w", doc: "The power setpoint, in watts.") { _ throws(ControllerFailure) in
                try await power(.powerSetpoint)
            },
            ControllerMethod("measured_power_w", doc: "The measured output power, in watts.") { _ throws(ControllerFailure) in
                try await power(.measuredPower)
            },
            ControllerMethod("set_emission", [("on", "bool")], doc: "Turns emission on (True) or off (False).") { a throws(ControllerFailure) in
                _ = try await perform(LaserCall.setEmission(try a.bool("on")), on: laser)
                return .none
            },
            ControllerMethod("status", doc: "{'interlock_closed': bool, 'fault_code': int, 'emitting': bool}.") { _ throws(ControllerFailure) in
                guard case let .status(s) = try await perform(LaserCall.status, on: laser) else { throw unexpected(role, "status") }
                return .object(["interlock_closed": .bool(s.interlockClosed), "fault_code": .int(Int64(s.faultCode)), "emitting": .bool(s.emitting)])
            },
            ControllerMethod("power_limit_w", doc: "(lower, upper): the power setpoints the lab YAML allows, in watts.") { _ in
                laser.powerLimit.pyon
            },
        ])
    }
}

/// A device answered a call with another call's kind of result.
func unexpected(_ role: String, _ command: String) -> ControllerFailure {
    ControllerFailure("RuntimeError", "\(role): \(command) returned an unexpected result")
}
