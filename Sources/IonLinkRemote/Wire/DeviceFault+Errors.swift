import GRPCCore
import IonLink

/// A typed device error carried over the wire: the node sends it as a gRPC status plus a
/// ``Ionlink_V1_DeviceFault`` in the binary trailer `ionlink-fault-bin`; the remote device rebuilds the
/// same typed error from it, so a refused setpoint or a timeout at the node reads the same in the
/// coordinator as it would next to the instrument.
public enum FaultWire {
    /// The trailer that carries the serialized ``Ionlink_V1_DeviceFault``.
    public static let trailer = "ionlink-fault-bin"

    /// The gRPC status of a failed device call: from whether a retry may help, and for a refusal
    /// whether it was a setpoint out of range or the node's (no permission).
    static func code(_ failure: DeviceFailure, outOfRange: Bool, rejected: Bool) -> RPCError.Code {
        switch failure {
        case .transient(.timeout): .deadlineExceeded
        case .transient(.disconnected): .unavailable
        case .transient: .aborted
        case .permanent: outOfRange ? .outOfRange : rejected ? .permissionDenied : .failedPrecondition
        }
    }

    /// The RPC error for a device error.
    static func rpcError(_ fault: Ionlink_V1_DeviceFault, code: RPCError.Code) -> RPCError {
        var metadata = Metadata()
        if let bytes = try? fault.serializedBytes() as [UInt8] { metadata.addBinary(bytes, forKey: trailer) }
        return RPCError(code: code, message: fault.message, metadata: metadata)
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
    var rpcError: RPCError {
        let device = self as? any DeviceErrorCoding
        return FaultWire.rpcError(fault, code: FaultWire.code(failure, outOfRange: device?.isOutOfRange ?? false,
                                                              rejected: fault.kind == "rejected"))
    }

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

/// What the status mapping asks of a device error.
protocol DeviceErrorCoding {
    var isOutOfRange: Bool { get }
}

extension DeviceError: DeviceErrorCoding {}

/// Every device error crosses the wire the same way: its kind's domain, its device, and its fields
/// (the shared instrument fault's or the kind's own). A call the node could not answer at all is a
/// disconnected device, a timeout or a refusal, as ``TransportFailure`` says.
extension DeviceError: WireError {
    var fault: Ionlink_V1_DeviceFault {
        let f = fields
        return FaultWire.make(Kind.domain, f.name, device: device, command: f.command, reply: f.reply, message: description,
                              requested: f.requested, allowed: f.allowed.map { ($0.lowerBound, $0.upperBound) }, number: f.number)
    }

    init?(fault f: Ionlink_V1_DeviceFault) {
        guard f.domain == Kind.domain else { return nil }
        let allowed = f.hasAllowed && f.allowed.lower <= f.allowed.upper ? f.allowed.lower...f.allowed.upper : nil
        self.init(device: f.device, fields: FaultFields(f.kind, command: f.command, reply: f.reply, requested: f.requested,
                                                        allowed: allowed, number: f.number))
    }

    static func transport(_ e: RPCError, device: String, command: String) -> Self {
        switch TransportFailure(e) {
        case .disconnected: .disconnected(device: device)
        case .timeout: .timeout(device: device, command: command)
        case let .refused(why): .rejected(device: device, command: command, reply: why)
        }
    }
}

extension AttemptLoopError: WireError {
    var fault: Ionlink_V1_DeviceFault {
        switch self {
        case let .notArmed(m): FaultWire.make("loop", "notArmed", device: "", reply: m, message: description)
        case let .deviceFailure(m): FaultWire.make("loop", "deviceFailure", device: "", reply: m, message: description)
        case let .exhausted(m): FaultWire.make("loop", "exhausted", device: "", reply: m, message: description)
        }
    }
    init?(fault f: Ionlink_V1_DeviceFault) {
        guard f.domain == "loop" else { return nil }
        switch f.kind {
        case "notArmed": self = .notArmed(f.reply)
        case "deviceFailure": self = .deviceFailure(f.reply)
        case "exhausted": self = .exhausted(f.reply)
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
