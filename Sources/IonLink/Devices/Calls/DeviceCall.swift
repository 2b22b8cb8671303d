/// One operation of a device, as a value: it can be checked against the device's limits, logged, gated
/// by a fault plan, sent to another node and performed on any device of its kind.
///
/// Each device kind writes its operations once, as an enum (``LaserCall``, ``DetectorCall``,
/// ``TrapCall``), and one forwarding device per kind (``ForwardingLaser`` …) turns the kind's protocol
/// back into calls on a ``CallLine``. Fault injection (``FaultGate``) and the remote proxies of
/// `IonLinkRemote` are lines; a served node performs the calls it decodes with ``perform(on:)``.
public protocol DeviceCall: Sendable {
    /// The device kind the call is made on (`any Laser`).
    associatedtype Target: Sendable
    /// The kind's own failures.
    associatedtype Fault: DeviceFaultKind
    /// What the call returns.
    associatedtype Outcome: Sendable

    /// The operation's name in logs, fault plans and errors (`setPower`).
    var command: String { get }
    /// Whether the call changes the device (a served node asks for the control role).
    var changesDevice: Bool { get }
    /// Refuses a setpoint outside `target`'s limits, before anything is sent.
    func check(against target: Target) throws(DeviceError<Fault>)
    /// Performs the call on `target`.
    func perform(on target: Target) async throws(DeviceError<Fault>) -> Outcome
}

/// Where a forwarding device's calls go: through a fault plan to a device in this process
/// (``FaultGate``), or to a device served by another node.
public protocol CallLine<Call>: Sendable {
    associatedtype Call: DeviceCall
    /// The identity of the device at the other end.
    func identify() async throws -> DeviceIdentity
    /// Performs `call` at the other end.
    func send(_ call: Call) async throws(DeviceError<Call.Fault>) -> Call.Outcome
}

extension DeviceError {
    /// A reply of the wrong shape for `command` (a line answered a call with another call's outcome).
    static func unexpected(device: String, command: String, _ outcome: some Sendable) -> Self {
        .malformedReply(device: device, command: command, reply: "\(outcome)")
    }
}
