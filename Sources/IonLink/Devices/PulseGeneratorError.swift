/// Why a ``PulseGenerator`` operation failed: a broken conversation (``InstrumentFault``) or a ``PulseGeneratorFault``.
public typealias PulseGeneratorError = DeviceError<PulseGeneratorFault>

/// A pulse generator's own failures.
public enum PulseGeneratorFault: DeviceFaultKind {
    case emptySequence
    case stepTooShort(step: String, minimum: Duration)
    /// The hardware cannot produce the sequence (off its time grid, too fast, a burst past its count,
    /// more pulses of a role than outputs for it); nothing was sent.
    case unproducible(reason: String)

    public static let domain = "pulses"
    public var isOutOfRange: Bool {
        switch self {
        case .stepTooShort, .unproducible: true
        case .emptySequence: false
        }
    }

    public var description: String {
        switch self {
        case .emptySequence: "empty pulse sequence"
        case let .stepTooShort(s, m): "step \(s) shorter than the minimum \(m)"
        case let .unproducible(r): "the hardware cannot produce this sequence: \(r); not sent"
        }
    }

    public var fields: FaultFields {
        switch self {
        case .emptySequence: FaultFields("emptySequence")
        case let .stepTooShort(s, m): FaultFields("stepTooShort", command: s, number: m.inPicoseconds)
        case let .unproducible(r): FaultFields("unproducible", reply: r)
        }
    }

    public init?(fields f: FaultFields) {
        switch f.name {
        case "emptySequence": self = .emptySequence
        case "stepTooShort": self = .stepTooShort(step: f.command, minimum: .picoseconds(f.number))
        case "unproducible": self = .unproducible(reason: f.reply)
        default: return nil
        }
    }
}

extension DeviceError where Kind == PulseGeneratorFault {
    public static func emptySequence(device: String) -> Self { Self(device: device, .kind(.emptySequence)) }
    public static func unproducible(device: String, _ reason: String) -> Self { Self(device: device, .kind(.unproducible(reason: reason))) }
    public static func stepTooShort(device: String, step: String, minimum: Duration) -> Self {
        Self(device: device, .kind(.stepTooShort(step: step, minimum: minimum)))
    }
}
