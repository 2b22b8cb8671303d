/// Why a ``TemperatureController`` operation failed: a broken conversation (``InstrumentFault``) or a
/// ``TemperatureControllerFault``.
public typealias TemperatureControllerError = DeviceError<TemperatureControllerFault>

/// A temperature controller's own failures.
public enum TemperatureControllerFault: DeviceFaultKind {
    case setpointOutOfRange(requested: Temperature, allowed: SetpointLimit<Temperature>)
    /// The sensor is open or shorted: the controller will not heat.
    case sensorAlarm

    public static let domain = "temperature"
    public var isOutOfRange: Bool { if case .setpointOutOfRange = self { true } else { false } }

    public var description: String {
        switch self {
        case let .setpointOutOfRange(r, a): "setpoint \(r) outside \(a.lower)...\(a.upper); not sent"
        case .sensorAlarm: "sensor alarm: the sensor is open or shorted, the heater stays off"
        }
    }

    public var fields: FaultFields {
        switch self {
        case let .setpointOutOfRange(r, a): FaultFields("setpointOutOfRange", requested: r.kelvin, allowed: a.lower.kelvin...a.upper.kelvin)
        case .sensorAlarm: FaultFields("sensorAlarm")
        }
    }

    public init?(fields f: FaultFields) {
        switch f.name {
        case "setpointOutOfRange":
            guard let a = f.allowed else { return nil }
            self = .setpointOutOfRange(requested: .kelvin(f.requested), allowed: SetpointLimit(.kelvin(a.lowerBound), .kelvin(a.upperBound)))
        case "sensorAlarm": self = .sensorAlarm
        default: return nil
        }
    }
}

extension DeviceError where Kind == TemperatureControllerFault {
    public static func setpointOutOfRange(device: String, requested: Temperature, allowed: SetpointLimit<Temperature>) -> Self {
        Self(device: device, .kind(.setpointOutOfRange(requested: requested, allowed: allowed)))
    }
}
