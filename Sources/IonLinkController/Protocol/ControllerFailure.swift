import IonLink

/// A call that failed, as a pc_rpc server reports it: `{"status": "failed", "exception": {"class", "message",
/// "traceback"}}` (sipyco `packed_exceptions.py`).
///
/// sipyco's client re-raises the exception by looking its class up among Python's builtins (anything else
/// must be `GenericRemoteException`), so a device error travels as the builtin class a Python caller would
/// expect — a setpoint past its limit as `ValueError`, a timeout as `TimeoutError`, a lost instrument as
/// `ConnectionError`, any other device failure as `RuntimeError` — and its message starts with the
/// device kind and the failure's name (`laser setpointOutOfRange: nodeA.cooling: power …; not sent`).
public struct ControllerFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// A Python builtin exception class name.
    public var pythonClass: String
    public var message: String

    public init(_ pythonClass: String, _ message: String) {
        self.pythonClass = pythonClass
        self.message = message
    }

    /// The pc_rpc report of a device error.
    public init<Kind>(_ error: DeviceError<Kind>) {
        let name = error.fields.name
        switch error.reason {
        case let .kind(k) where k.isOutOfRange: pythonClass = "ValueError"
        case .instrument(.timeout): pythonClass = "TimeoutError"
        case .instrument(.disconnected): pythonClass = "ConnectionError"
        default: pythonClass = "RuntimeError"
        }
        message = "\(Kind.domain) \(name): \(error)"
    }

    /// Wrong arguments for a method (as Python raises for a call that does not match the signature).
    public static func arguments(_ message: String) -> ControllerFailure { ControllerFailure("TypeError", message) }
    /// An argument of the right type but a value the method cannot take.
    public static func value(_ message: String) -> ControllerFailure { ControllerFailure("ValueError", message) }

    public var description: String { "\(pythonClass): \(message)" }

    /// The `exception` object of a failed reply.
    public var packed: PyonValue {
        .object(["class": .string(pythonClass), "message": .string(message), "traceback": .list([])])
    }
}
