/// Why a ``Laser`` operation failed: a broken conversation (``InstrumentFault``) or a ``LaserFault``.
public typealias LaserError = DeviceError<LaserFault>

/// A laser's own failures.
public enum LaserFault: DeviceFaultKind {
    /// The setpoint lies outside the configured limits; nothing was sent.
    case setpointOutOfRange(requested: Power, allowed: SetpointLimit<Power>)
    /// Emission was requested while the interlock is open.
    case interlockOpen
    /// The laser reports a fault code.
    case fault(code: Int, message: String)

    public static let domain = "laser"
    public var isOutOfRange: Bool { if case .setpointOutOfRange = self { true } else { false } }

    public var description: String {
        switch self {
        case let .setpointOutOfRange(r, a): "power \(r) outside \(a.lower)...\(a.upper); not sent"
        case .interlockOpen: "interlock open, emission refused"
        case let .fault(c, m): "fault \(c): \(m)"
        }
    }

    public var fields: FaultFields {
        switch self {
        case let .setpointOutOfRange(r, a): FaultFields("setpointOutOfRange", requested: r.watts, allowed: a.lower.watts...a.upper.watts)
        case .interlockOpen: FaultFields("interlockOpen")
        case let .fault(c, m): FaultFields("fault", reply: m, number: Int64(c))
        }
    }

    public init?(fields f: FaultFields) {
        switch f.name {
        case "setpointOutOfRange":
            guard let a = f.allowed else { return nil }
            self = .setpointOutOfRange(requested: .watts(f.requested), allowed: SetpointLimit(.watts(a.lowerBound), .watts(a.upperBound)))
        case "interlockOpen": self = .interlockOpen
        case "fault": self = .fault(code: Int(clamping: f.number), message: f.reply)
        default: return nil
        }
    }
}

extension DeviceError where Kind == LaserFault {
    public static func setpointOutOfRange(device: String, requested: Power, allowed: SetpointLimit<Power>) -> Self {
        Self(device: device, .kind(.setpointOutOfRange(requested: requested, allowed: allowed)))
    }
    public static func interlockOpen(device: String) -> Self { Self(device: device, .kind(.interlockOpen)) }
    public static func fault(device: String, code: Int, message: String) -> Self { Self(device: device, .kind(.fault(code: code, message: message))) }
}
