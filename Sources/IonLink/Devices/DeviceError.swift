/// A device call that failed, for any kind of device: the device's name and either a broken
/// conversation with its instrument (shared by every kind) or one of the kind's own failures.
///
/// Each device kind names its own failures in a ``DeviceFaultKind`` (``LaserFault``, ``TrapFault``, …)
/// and its error type is this one specialised (``LaserError`` is `DeviceError<LaserFault>`). Whether a
/// retry may help (``failure``) is decided here for the shared cases and by the kind for its own.
public struct DeviceError<Kind: DeviceFaultKind>: Error, Sendable, Hashable, CustomStringConvertible, ClassifiedDeviceError {
    /// What went wrong.
    public enum Reason: Sendable, Hashable {
        /// The conversation with the instrument broke, as it can for any device.
        case instrument(InstrumentFault)
        /// A failure of this kind of device.
        case kind(Kind)
    }

    /// The device's name (`nodeA.excitation`).
    public var device: String
    public var reason: Reason

    public init(device: String, _ reason: Reason) {
        self.device = device
        self.reason = reason
    }

    /// The device's error for a transport failure during `command`.
    public init(_ error: TransportError, device: String, command: String) {
        self.init(device: device, .instrument(InstrumentFault(error, command: command)))
    }

    /// The same failure reported for another device kind: shared cases carry over, the other kind's own become `own`.
    public init<Other>(_ other: DeviceError<Other>, own: (Other) -> Kind) {
        switch other.reason {
        case let .instrument(f): self.init(device: other.device, .instrument(f))
        case let .kind(k): self.init(device: other.device, .kind(own(k)))
        }
    }

    public var failure: DeviceFailure {
        switch reason {
        case let .instrument(f): f.failure
        case let .kind(k): k.failure
        }
    }

    public var description: String {
        switch reason {
        case let .instrument(f): "\(device): \(f)"
        case let .kind(k): "\(device): \(k)"
        }
    }

    /// The instrument did not answer `command` in time.
    public static func timeout(device: String, command: String) -> Self { Self(device: device, .instrument(.timeout(command: command))) }
    /// The reply to `command` could not be understood.
    public static func malformedReply(device: String, command: String, reply: String) -> Self {
        Self(device: device, .instrument(.malformedReply(command: command, reply: reply)))
    }
    /// The instrument is gone (unplugged, port closed, node unreachable).
    public static func disconnected(device: String) -> Self { Self(device: device, .instrument(.disconnected)) }
    /// A different instrument answered the identification query.
    public static func wrongInstrument(device: String, expected: String, found: String) -> Self {
        Self(device: device, .instrument(.wrongInstrument(expected: expected, found: found)))
    }
    /// The command was refused (by the instrument, or by the node serving it).
    public static func rejected(device: String, command: String, reply: String) -> Self {
        Self(device: device, .instrument(.rejected(command: command, reply: reply)))
    }
    /// The instrument did not take a setpoint (its read-back differs).
    public static func notApplied(device: String, command: String, readBack: String) -> Self {
        Self(device: device, .instrument(.notApplied(command: command, readBack: readBack)))
    }
}

/// How a conversation with an instrument broke: the failures every device kind shares.
public enum InstrumentFault: Sendable, Hashable, CustomStringConvertible {
    case timeout(command: String)
    case malformedReply(command: String, reply: String)
    case disconnected
    case wrongInstrument(expected: String, found: String)
    case rejected(command: String, reply: String)
    case notApplied(command: String, readBack: String)

    /// The fault a transport failure during `command` is.
    public init(_ error: TransportError, command: String) {
        switch error {
        case .timeout: self = .timeout(command: command)
        case .disconnected, .notFound, .busy, .permissionDenied: self = .disconnected
        case let .malformedReply(_, reply): self = .malformedReply(command: command, reply: String(decoding: reply, as: UTF8.self))
        case let .wrongInstrument(_, expected, found): self = .wrongInstrument(expected: expected, found: found)
        }
    }

    /// A broken conversation may work next time; a refusal or the wrong instrument will not.
    public var failure: DeviceFailure {
        switch self {
        case .timeout: .transient(.timeout)
        case .malformedReply: .transient(.malformedReply)
        case .disconnected: .transient(.disconnected)
        case .wrongInstrument, .rejected, .notApplied: .permanent
        }
    }

    public var description: String {
        switch self {
        case let .timeout(c): "no reply to \(c)"
        case let .malformedReply(c, r): "malformed reply to \(c): \(r.debugDescription)"
        case .disconnected: "disconnected"
        case let .wrongInstrument(e, f): "expected \(e), found \(f)"
        case let .rejected(c, r): "\(c) refused: \(r)"
        case let .notApplied(c, r): "\(c) not applied (reads back \(r))"
        }
    }
}

/// The failures of one kind of device that no other kind has (its setpoint ranges, its own states).
public protocol DeviceFaultKind: Sendable, Hashable, CustomStringConvertible {
    /// The kind's name on the wire (`laser`, `trap`, …).
    static var domain: String { get }
    /// Whether a retry may help (most of a kind's own failures are refusals: `.permanent`).
    var failure: DeviceFailure { get }
    /// A setpoint or index outside what the device allows (refused before anything was sent).
    var isOutOfRange: Bool { get }
    /// The failure as plain fields, for the wire.
    var fields: FaultFields { get }
    /// The failure from its fields, or nil if they name none of the kind's.
    init?(fields: FaultFields)
}

extension DeviceFaultKind {
    public var failure: DeviceFailure { .permanent }
    public var isOutOfRange: Bool { false }
}

/// A device failure as plain fields (name, texts, numbers): what crosses a process boundary.
public struct FaultFields: Sendable, Hashable {
    /// The failure's name, e.g. `setpointOutOfRange`, `timeout`.
    public var name: String
    public var command: String
    public var reply: String
    /// A refused setpoint, in SI units.
    public var requested: Double
    /// The allowed range of a refused setpoint, in SI units.
    public var allowed: ClosedRange<Double>?
    /// An index, count, code or duration in picoseconds, by failure.
    public var number: Int64

    public init(_ name: String, command: String = "", reply: String = "", requested: Double = 0, allowed: ClosedRange<Double>? = nil,
                number: Int64 = 0) {
        self.name = name
        self.command = command
        self.reply = reply
        self.requested = requested
        self.allowed = allowed
        self.number = number
    }
}

extension InstrumentFault {
    /// The fault as plain fields (`wrongInstrument` carries the expected model as its command, the found one as its reply).
    public var fields: FaultFields {
        switch self {
        case let .timeout(c): FaultFields("timeout", command: c)
        case let .malformedReply(c, r): FaultFields("malformedReply", command: c, reply: r)
        case .disconnected: FaultFields("disconnected")
        case let .wrongInstrument(e, f): FaultFields("wrongInstrument", command: e, reply: f)
        case let .rejected(c, r): FaultFields("rejected", command: c, reply: r)
        case let .notApplied(c, r): FaultFields("notApplied", command: c, reply: r)
        }
    }

    public init?(fields f: FaultFields) {
        switch f.name {
        case "timeout": self = .timeout(command: f.command)
        case "malformedReply": self = .malformedReply(command: f.command, reply: f.reply)
        case "disconnected": self = .disconnected
        case "wrongInstrument": self = .wrongInstrument(expected: f.command, found: f.reply)
        case "rejected": self = .rejected(command: f.command, reply: f.reply)
        case "notApplied": self = .notApplied(command: f.command, readBack: f.reply)
        default: return nil
        }
    }
}

extension DeviceError {
    /// The error as plain fields (the shared fault's, or the kind's own).
    public var fields: FaultFields {
        switch reason {
        case let .instrument(f): f.fields
        case let .kind(k): k.fields
        }
    }

    /// The error of `device` from plain fields, or nil if they name no failure of this kind.
    public init?(device: String, fields: FaultFields) {
        if let f = InstrumentFault(fields: fields) {
            self.init(device: device, .instrument(f))
        } else if let k = Kind(fields: fields) {
            self.init(device: device, .kind(k))
        } else {
            return nil
        }
    }

    /// Whether the call was refused for a setpoint or index outside what the device allows.
    public var isOutOfRange: Bool {
        if case let .kind(k) = reason { return k.isOutOfRange }
        return false
    }
}
