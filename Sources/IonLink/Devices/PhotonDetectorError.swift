/// Why a ``PhotonDetector`` operation failed.
public enum PhotonDetectorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bias setpoint lies outside the configured limits; nothing was sent.
    case biasOutOfRange(device: String, requested: Current, allowed: SetpointLimit<Current>)
    /// The operation needs a capability this detector lacks (e.g. bias on a PMT).
    case unsupported(device: String, operation: String)
    /// The detector stayed latched after the recovery procedure.
    case latchRecoveryFailed(device: String, attempts: Int)
    /// A different instrument (or module) answered the identification query.
    case wrongInstrument(device: String, expected: String, found: String)
    /// The instrument did not take a setpoint (its read-back differs).
    case notApplied(device: String, command: String, readBack: String)
    /// The command was refused (by the instrument, or by the node serving it: no permission).
    case rejected(device: String, command: String, reply: String)
    case timeout(device: String, command: String)
    case malformedReply(device: String, command: String, reply: String)
    case disconnected(device: String)

    public var description: String {
        switch self {
        case let .biasOutOfRange(d, r, a): "\(d): bias \(r) outside \(a.lower)...\(a.upper); not sent"
        case let .unsupported(d, o): "\(d): \(o) not supported"
        case let .latchRecoveryFailed(d, n): "\(d): still latched after \(n) recovery attempts"
        case let .wrongInstrument(d, e, f): "\(d): expected \(e), found \(f)"
        case let .notApplied(d, c, r): "\(d): \(c) not applied (reads back \(r))"
        case let .rejected(d, c, r): "\(d): \(c) refused: \(r)"
        case let .timeout(d, c): "\(d): no reply to \(c)"
        case let .malformedReply(d, c, r): "\(d): malformed reply to \(c): \(r.debugDescription)"
        case let .disconnected(d): "\(d): disconnected"
        }
    }
}
