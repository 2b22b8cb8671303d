/// Why a ``TrapController`` operation failed.
public enum TrapControllerError: Error, Sendable, Equatable, CustomStringConvertible {
    case noSuchElectrode(device: String, index: Int)
    case voltageOutOfRange(device: String, electrode: Int, requested: Voltage, allowed: SetpointLimit<Voltage>)
    case rfOutOfRange(device: String, what: String)
    /// Loading did not produce an ion within the allowed time.
    case loadingFailed(device: String, after: Duration)
    /// The instrument answered the command with an error code.
    case rejected(device: String, command: String, reply: String)
    /// A different instrument answered the identification query.
    case wrongInstrument(device: String, expected: String, found: String)
    case timeout(device: String, command: String)
    case malformedReply(device: String, command: String, reply: String)
    case disconnected(device: String)

    public var description: String {
        switch self {
        case let .noSuchElectrode(d, i): "\(d): no electrode \(i)"
        case let .voltageOutOfRange(d, e, r, a): "\(d): electrode \(e) voltage \(r) outside \(a.lower)...\(a.upper); not sent"
        case let .rfOutOfRange(d, w): "\(d): RF \(w) out of range; not sent"
        case let .loadingFailed(d, t): "\(d): no ion loaded after \(t)"
        case let .rejected(d, c, r): "\(d): \(c) refused: \(r)"
        case let .wrongInstrument(d, e, f): "\(d): expected \(e), found \(f)"
        case let .timeout(d, c): "\(d): no reply to \(c)"
        case let .malformedReply(d, c, r): "\(d): malformed reply to \(c): \(r.debugDescription)"
        case let .disconnected(d): "\(d): disconnected"
        }
    }
}
