/// Why a ``PulseGenerator`` operation failed: a broken conversation (``InstrumentFault``) or a ``PulseGeneratorFault``.
public typealias PulseGeneratorError = DeviceError<PulseGeneratorFault>

/// A pulse generator's own failures.
public enum PulseGeneratorFault: DeviceFaultKind {
    case emptySequence
    case stepTooShort(step: String, minimum: Duration)

    public static let domain = "pulses"
    public var isOutOfRange: Bool { if case .stepTooShort = self { true } else { false } }

    public var description: String {
        switch self {
        case .emptySequence: "empty pulse sequence"
        case let .stepTooShort(s, m): "step \(s) shorter than the minimum \(m)"
        }
    }

    public var fields: FaultFields {
        switch self {
        case .emptySequence: FaultFields("emptySequence")
        case let .stepTooShort(s, m): FaultFields("stepTooShort", command: s, number: m.inPicoseconds)
        }
    }

    public init?(fields f: FaultFields) {
        switch f.name {
        case "emptySequence": self = .emptySequence
        case "stepTooShort": self = .stepTooShort(step: f.command, minimum: .picoseconds(f.number))
        default: return nil
        }
    }
}

extension DeviceError where Kind == PulseGeneratorFault {
    public static func emptySequence(device: String) -> Self { Self(device: device, .kind(.emptySequence)) }
    public static func stepTooShort(device: String, step: String, minimum: Duration) -> Self {
        Self(device: device, .kind(.stepTooShort(step: step, minimum: minimum)))
    }
}
