/// Why an ``RFSource`` operation failed: a broken conversation (``InstrumentFault``) or an ``RFSourceFault``.
public typealias RFSourceError = DeviceError<RFSourceFault>

/// An RF source's own failures.
public enum RFSourceFault: DeviceFaultKind {
    case frequencyOutOfRange(requested: Frequency, allowed: SetpointLimit<Frequency>)
    case powerOutOfRange(requested: Power, allowed: SetpointLimit<Power>)
    case phaseOutOfRange(requested: Angle, allowed: SetpointLimit<Angle>)

    public static let domain = "rf"
    public var isOutOfRange: Bool { true }

    public var description: String {
        switch self {
        case let .frequencyOutOfRange(r, a): "frequency \(r) outside \(a.lower)...\(a.upper); not sent"
        case let .powerOutOfRange(r, a): "power \(r.dBm) dBm outside \(a.lower.dBm)...\(a.upper.dBm) dBm; not sent"
        case let .phaseOutOfRange(r, a): "phase \(r.degrees)° outside \(a.lower.degrees)...\(a.upper.degrees)°; not sent"
        }
    }

    public var fields: FaultFields {
        switch self {
        case let .frequencyOutOfRange(r, a): FaultFields("frequencyOutOfRange", requested: r.hertz, allowed: a.lower.hertz...a.upper.hertz)
        case let .powerOutOfRange(r, a): FaultFields("powerOutOfRange", requested: r.watts, allowed: a.lower.watts...a.upper.watts)
        case let .phaseOutOfRange(r, a): FaultFields("phaseOutOfRange", requested: r.radians, allowed: a.lower.radians...a.upper.radians)
        }
    }

    public init?(fields f: FaultFields) {
        guard let a = f.allowed else { return nil }
        switch f.name {
        case "frequencyOutOfRange":
            self = .frequencyOutOfRange(requested: .hertz(f.requested), allowed: SetpointLimit(.hertz(a.lowerBound), .hertz(a.upperBound)))
        case "powerOutOfRange":
            self = .powerOutOfRange(requested: .watts(f.requested), allowed: SetpointLimit(.watts(a.lowerBound), .watts(a.upperBound)))
        case "phaseOutOfRange":
            self = .phaseOutOfRange(requested: .radians(f.requested), allowed: SetpointLimit(.radians(a.lowerBound), .radians(a.upperBound)))
        default: return nil
        }
    }
}

extension DeviceError where Kind == RFSourceFault {
    public static func frequencyOutOfRange(device: String, requested: Frequency, allowed: SetpointLimit<Frequency>) -> Self {
        Self(device: device, .kind(.frequencyOutOfRange(requested: requested, allowed: allowed)))
    }
    public static func powerOutOfRange(device: String, requested: Power, allowed: SetpointLimit<Power>) -> Self {
        Self(device: device, .kind(.powerOutOfRange(requested: requested, allowed: allowed)))
    }
    public static func phaseOutOfRange(device: String, requested: Angle, allowed: SetpointLimit<Angle>) -> Self {
        Self(device: device, .kind(.phaseOutOfRange(requested: requested, allowed: allowed)))
    }
}
