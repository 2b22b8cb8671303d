/// Why a ``TimeTagger`` operation failed: a broken conversation (``InstrumentFault``) or a ``TimeTaggerFault``.
public typealias TimeTaggerError = DeviceError<TimeTaggerFault>

/// A time tagger's own failures.
public enum TimeTaggerFault: DeviceFaultKind {
    case noSuchChannel(Int32)
    case alreadyStreaming

    public static let domain = "tagger"
    public var isOutOfRange: Bool { if case .noSuchChannel = self { true } else { false } }

    public var description: String {
        switch self {
        case let .noSuchChannel(c): "no channel \(c)"
        case .alreadyStreaming: "a tag stream is already running"
        }
    }

    public var fields: FaultFields {
        switch self {
        case let .noSuchChannel(c): FaultFields("noSuchChannel", number: Int64(c))
        case .alreadyStreaming: FaultFields("alreadyStreaming")
        }
    }

    public init?(fields f: FaultFields) {
        switch f.name {
        case "noSuchChannel": self = .noSuchChannel(Int32(clamping: f.number))
        case "alreadyStreaming": self = .alreadyStreaming
        default: return nil
        }
    }
}

extension DeviceError where Kind == TimeTaggerFault {
    public static func noSuchChannel(device: String, channel: Int32) -> Self { Self(device: device, .kind(.noSuchChannel(channel))) }
    public static func alreadyStreaming(device: String) -> Self { Self(device: device, .kind(.alreadyStreaming)) }
}
