import GRPCCore
import IonLink

/// A typed device error carried over the wire: the node sends it as a gRPC status plus a
/// ``Ionlink_V1_DeviceFault`` in the binary trailer `ionlink-fault-bin`; the remote device rebuilds the
/// same typed error from it, so a refused setpoint or a timeout at the node reads the same in the
/// coordinator as it would next to the instrument.
public enum FaultWire {
    /// The trailer that carries the serialized ``Ionlink_V1_DeviceFault``.
    public static let trailer = "ionlink-fault-bin"

    /// The gRPC status of a failed device call.
    static func code(_ failure: DeviceFailure, kind: String) -> RPCError.Code {
        switch failure {
        case .transient(.timeout): .deadlineExceeded
        case .transient(.disconnected): .unavailable
        case .transient: .aborted
        case .permanent:
            switch kind {
            case "setpointOutOfRange", "voltageOutOfRange", "rfOutOfRange", "biasOutOfRange", "noSuchElectrode", "stepTooShort",
                 "noSuchChannel":
                .outOfRange
            case "rejected": .permissionDenied
            default: .failedPrecondition
            }
        }
    }

    /// The RPC error for a device error.
    static func rpcError(_ fault: Ionlink_V1_DeviceFault, failure: DeviceFailure) -> RPCError {
        var metadata = Metadata()
        if let bytes = try? fault.serializedBytes() as [UInt8] { metadata.addBinary(bytes, forKey: trailer) }
        return RPCError(code: code(failure, kind: fault.kind), message: fault.message, metadata: metadata)
    }

    /// The fault a node sent with `error`, if it sent one.
    static func fault(in error: RPCError) -> Ionlink_V1_DeviceFault? {
        for case let .binary(bytes) in error.metadata[trailer] {
            if let f = try? Ionlink_V1_DeviceFault(serializedBytes: bytes) { return f }
        }
        return nil
    }

    static func make(_ domain: String, _ kind: String, device: String, command: String = "", reply: String = "",
                     message: String, requested: Double = 0, allowed: (Double, Double)? = nil, number: Int64 = 0) -> Ionlink_V1_DeviceFault {
        var f = Ionlink_V1_DeviceFault()
        f.domain = domain
        f.kind = kind
        f.device = device
        f.command = command
        f.reply = reply
        f.message = message
        f.requested = requested
        if let allowed {
            f.allowed.lower = allowed.0
            f.allowed.upper = allowed.1
        }
        f.number = number
        return f
    }
}

/// A device error that crosses the wire both ways.
protocol WireError: ClassifiedDeviceError, CustomStringConvertible {
    var fault: Ionlink_V1_DeviceFault { get }
    init?(fault: Ionlink_V1_DeviceFault)
    /// The error for a call the node could not answer (`error` is gRPC's, with no fault attached).
    static func transport(_ error: RPCError, device: String, command: String) -> Self
}

extension WireError {
    var rpcError: RPCError { FaultWire.rpcError(fault, failure: failure) }

    /// The typed error behind a failed call: the node's fault if it sent one, else one made from the status.
    static func from(_ error: any Error, device: String, command: String) -> Self {
        if let e = error as? Self { return e }
        guard let rpc = error as? RPCError else {
            return transport(RPCError(code: .unknown, message: "\(error)"), device: device, command: command)
        }
        if let f = FaultWire.fault(in: rpc), let e = Self(fault: f) { return e }
        return transport(rpc, device: device, command: command)
    }
}

/// How a status without a fault maps onto each error type: an unreachable node is a disconnected device
/// (retried), a call past its deadline a timeout (retried), anything else a refusal (not retried).
enum TransportFailure {
    case disconnected, timeout, refused(String)
    init(_ e: RPCError) {
        switch e.code {
        case .unavailable, .cancelled: self = .disconnected
        case .deadlineExceeded: self = .timeout
        default: self = .refused("\(e.code): \(e.message)")
        }
    }
}

/// A device error with the three cases a call the node could not answer maps to.
protocol DeviceWireError: WireError {
    static func disconnected(device: String) -> Self
    static func timeout(device: String, command: String) -> Self
    static func rejected(device: String, command: String, reply: String) -> Self
}

extension DeviceWireError {
    static func transport(_ e: RPCError, device: String, command: String) -> Self {
        switch TransportFailure(e) {
        case .disconnected: .disconnected(device: device)
        case .timeout: .timeout(device: device, command: command)
        case let .refused(why): .rejected(device: device, command: command, reply: why)
        }
    }
}

extension LaserError: DeviceWireError {
    var fault: Ionlink_V1_DeviceFault {
        let m = description
        return switch self {
        case let .setpointOutOfRange(d, r, a):
            FaultWire.make("laser", "setpointOutOfRange", device: d, message: m, requested: r.watts, allowed: (a.lower.watts, a.upper.watts))
        case let .interlockOpen(d): FaultWire.make("laser", "interlockOpen", device: d, message: m)
        case let .fault(d, c, msg): FaultWire.make("laser", "fault", device: d, reply: msg, message: m, number: Int64(c))
        case let .timeout(d, c): FaultWire.make("laser", "timeout", device: d, command: c, message: m)
        case let .rejected(d, c, r): FaultWire.make("laser", "rejected", device: d, command: c, reply: r, message: m)
        case let .malformedReply(d, c, r): FaultWire.make("laser", "malformedReply", device: d, command: c, reply: r, message: m)
        case let .disconnected(d): FaultWire.make("laser", "disconnected", device: d, message: m)
        case let .wrongInstrument(d, e, f): FaultWire.make("laser", "wrongInstrument", device: d, command: e, reply: f, message: m)
        }
    }
    init?(fault f: Ionlink_V1_DeviceFault) {
        guard f.domain == "laser" else { return nil }
        let d = f.device
        switch f.kind {
        case "setpointOutOfRange":
            self = .setpointOutOfRange(device: d, requested: .watts(f.requested),
                                       allowed: SetpointLimit(.watts(f.allowed.lower), .watts(f.allowed.upper)))
        case "interlockOpen": self = .interlockOpen(device: d)
        case "fault": self = .fault(device: d, code: Int(clamping: f.number), message: f.reply)
        case "timeout": self = .timeout(device: d, command: f.command)
        case "rejected": self = .rejected(device: d, command: f.command, reply: f.reply)
        case "malformedReply": self = .malformedReply(device: d, command: f.command, reply: f.reply)
        case "disconnected": self = .disconnected(device: d)
        case "wrongInstrument": self = .wrongInstrument(device: d, expected: f.command, found: f.reply)
        default: return nil
        }
    }
}

extension TrapControllerError: DeviceWireError {
    var fault: Ionlink_V1_DeviceFault {
        let m = description
        return switch self {
        case let .noSuchElectrode(d, i): FaultWire.make("trap", "noSuchElectrode", device: d, message: m, number: Int64(i))
        case let .voltageOutOfRange(d, e, r, a):
            FaultWire.make("trap", "voltageOutOfRange", device: d, message: m, requested: r.volts, allowed: (a.lower.volts, a.upper.volts),
                           number: Int64(e))
        case let .rfOutOfRange(d, w): FaultWire.make("trap", "rfOutOfRange", device: d, reply: w, message: m)
        case let .loadingFailed(d, t): FaultWire.make("trap", "loadingFailed", device: d, message: m, number: t.inPicoseconds)
        case let .rejected(d, c, r): FaultWire.make("trap", "rejected", device: d, command: c, reply: r, message: m)
        case let .wrongInstrument(d, e, f): FaultWire.make("trap", "wrongInstrument", device: d, command: e, reply: f, message: m)
        case let .timeout(d, c): FaultWire.make("trap", "timeout", device: d, command: c, message: m)
        case let .malformedReply(d, c, r): FaultWire.make("trap", "malformedReply", device: d, command: c, reply: r, message: m)
        case let .disconnected(d): FaultWire.make("trap", "disconnected", device: d, message: m)
        }
    }
    init?(fault f: Ionlink_V1_DeviceFault) {
        guard f.domain == "trap" else { return nil }
        let d = f.device
        switch f.kind {
        case "noSuchElectrode": self = .noSuchElectrode(device: d, index: Int(clamping: f.number))
        case "voltageOutOfRange":
            self = .voltageOutOfRange(device: d, electrode: Int(clamping: f.number), requested: .volts(f.requested),
                                      allowed: SetpointLimit(.volts(f.allowed.lower), .volts(f.allowed.upper)))
        case "rfOutOfRange": self = .rfOutOfRange(device: d, what: f.reply)
        case "loadingFailed": self = .loadingFailed(device: d, after: .picoseconds(f.number))
        case "rejected": self = .rejected(device: d, command: f.command, reply: f.reply)
        case "wrongInstrument": self = .wrongInstrument(device: d, expected: f.command, found: f.reply)
        case "timeout": self = .timeout(device: d, command: f.command)
        case "malformedReply": self = .malformedReply(device: d, command: f.command, reply: f.reply)
        case "disconnected": self = .disconnected(device: d)
        default: return nil
        }
    }
}

extension PhotonDetectorError: DeviceWireError {
    var fault: Ionlink_V1_DeviceFault {
        let m = description
        return switch self {
        case let .biasOutOfRange(d, r, a):
            FaultWire.make("detector", "biasOutOfRange", device: d, message: m, requested: r.amperes,
                           allowed: (a.lower.amperes, a.upper.amperes))
        case let .unsupported(d, o): FaultWire.make("detector", "unsupported", device: d, command: o, message: m)
        case let .latchRecoveryFailed(d, n): FaultWire.make("detector", "latchRecoveryFailed", device: d, message: m, number: Int64(n))
        case let .wrongInstrument(d, e, f): FaultWire.make("detector", "wrongInstrument", device: d, command: e, reply: f, message: m)
        case let .notApplied(d, c, r): FaultWire.make("detector", "notApplied", device: d, command: c, reply: r, message: m)
        case let .rejected(d, c, r): FaultWire.make("detector", "rejected", device: d, command: c, reply: r, message: m)
        case let .timeout(d, c): FaultWire.make("detector", "timeout", device: d, command: c, message: m)
        case let .malformedReply(d, c, r): FaultWire.make("detector", "malformedReply", device: d, command: c, reply: r, message: m)
        case let .disconnected(d): FaultWire.make("detector", "disconnected", device: d, message: m)
        }
    }
    init?(fault f: Ionlink_V1_DeviceFault) {
        guard f.domain == "detector" else { return nil }
        let d = f.device
        switch f.kind {
        case "biasOutOfRange":
            self = .biasOutOfRange(device: d, requested: .amperes(f.requested),
                                   allowed: SetpointLimit(.amperes(f.allowed.lower), .amperes(f.allowed.upper)))
        case "unsupported": self = .unsupported(device: d, operation: f.command)
        case "latchRecoveryFailed": self = .latchRecoveryFailed(device: d, attempts: Int(clamping: f.number))
        case "wrongInstrument": self = .wrongInstrument(device: d, expected: f.command, found: f.reply)
        case "notApplied": self = .notApplied(device: d, command: f.command, readBack: f.reply)
        case "rejected": self = .rejected(device: d, command: f.command, reply: f.reply)
        case "timeout": self = .timeout(device: d, command: f.command)
        case "malformedReply": self = .malformedReply(device: d, command: f.command, reply: f.reply)
        case "disconnected": self = .disconnected(device: d)
        default: return nil
        }
    }
}

extension PulseGeneratorError: DeviceWireError {
    var fault: Ionlink_V1_DeviceFault {
        let m = description
        return switch self {
        case let .emptySequence(d): FaultWire.make("pulses", "emptySequence", device: d, message: m)
        case let .stepTooShort(d, s, min): FaultWire.make("pulses", "stepTooShort", device: d, command: s, message: m, number: min.inPicoseconds)
        case let .timeout(d, c): FaultWire.make("pulses", "timeout", device: d, command: c, message: m)
        case let .rejected(d, c, r): FaultWire.make("pulses", "rejected", device: d, command: c, reply: r, message: m)
        case let .disconnected(d): FaultWire.make("pulses", "disconnected", device: d, message: m)
        }
    }
    init?(fault f: Ionlink_V1_DeviceFault) {
        guard f.domain == "pulses" else { return nil }
        let d = f.device
        switch f.kind {
        case "emptySequence": self = .emptySequence(device: d)
        case "stepTooShort": self = .stepTooShort(device: d, step: f.command, minimum: .picoseconds(f.number))
        case "timeout": self = .timeout(device: d, command: f.command)
        case "rejected": self = .rejected(device: d, command: f.command, reply: f.reply)
        case "disconnected": self = .disconnected(device: d)
        default: return nil
        }
    }
}

extension AttemptLoopError: WireError {
    var fault: Ionlink_V1_DeviceFault {
        switch self {
        case let .notArmed(m): FaultWire.make("loop", "notArmed", device: "", reply: m, message: description)
        case let .deviceFailure(m): FaultWire.make("loop", "deviceFailure", device: "", reply: m, message: description)
        }
    }
    init?(fault f: Ionlink_V1_DeviceFault) {
        guard f.domain == "loop" else { return nil }
        switch f.kind {
        case "notArmed": self = .notArmed(f.reply)
        case "deviceFailure": self = .deviceFailure(f.reply)
        default: return nil
        }
    }
    static func transport(_ e: RPCError, device: String, command: String) -> AttemptLoopError {
        switch TransportFailure(e) {
        case .disconnected, .timeout: .deviceFailure("\(device): \(command): \(e.code): \(e.message)")
        case let .refused(why): .notArmed("\(device): \(command) refused: \(why)")
        }
    }
}
