/// Why a ``PhotonDetector`` operation failed: a broken conversation (``InstrumentFault``) or a ``DetectorFault``.
public typealias PhotonDetectorError = DeviceError<DetectorFault>

/// A photon detector's own failures.
public enum DetectorFault: DeviceFaultKind {
    /// The bias setpoint lies outside the configured limits; nothing was sent.
    case biasOutOfRange(requested: Current, allowed: SetpointLimit<Current>)
    /// The operation needs a capability this detector lacks (e.g. bias on a PMT).
    case unsupported(operation: String)
    /// The detector stayed latched after the recovery procedure.
    case latchRecoveryFailed(attempts: Int)

    public static let domain = "detector"
    public var isOutOfRange: Bool { if case .biasOutOfRange = self { true } else { false } }

    public var description: String {
        switch self {
        case let .biasOutOfRange(r, a): "bias \(r) outside \(a.lower)...\(a.upper); not sent"
        case let .unsupported(o): "\(o) not supported"
        case let .latchRecoveryFailed(n): "still latched after \(n) recovery attempts"
        }
    }

    public var fields: FaultFields {
        switch self {
        case let .biasOutOfRange(r, a): FaultFields("biasOutOfRange", requested: r.amperes, allowed: a.lower.amperes...a.upper.amperes)
        case let .unsupported(o): FaultFields("unsupported", command: o)
        case let .latchRecoveryFailed(n): FaultFields("latchRecoveryFailed", number: Int64(n))
        }
    }

    public init?(fields f: FaultFields) {
        switch f.name {
        case "biasOutOfRange":
            guard let a = f.allowed else { return nil }
            self = .biasOutOfRange(requested: .amperes(f.requested), allowed: SetpointLimit(.amperes(a.lowerBound), .amperes(a.upperBound)))
        case "unsupported": self = .unsupported(operation: f.command)
        case "latchRecoveryFailed": self = .latchRecoveryFailed(attempts: Int(clamping: f.number))
        default: return nil
        }
    }
}

extension DeviceError where Kind == DetectorFault {
    public static func biasOutOfRange(device: String, requested: Current, allowed: SetpointLimit<Current>) -> Self {
        Self(device: device, .kind(.biasOutOfRange(requested: requested, allowed: allowed)))
    }
    public static func unsupported(device: String, operation: String) -> Self { Self(device: device, .kind(.unsupported(operation: operation))) }
    public static func latchRecoveryFailed(device: String, attempts: Int) -> Self {
        Self(device: device, .kind(.latchRecoveryFailed(attempts: attempts)))
    }
}
