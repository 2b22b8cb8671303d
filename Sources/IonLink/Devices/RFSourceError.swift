/// Why an ``RFSource`` operation failed.
public enum RFSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    case frequencyOutOfRange(device: String, requested: Frequency, allowed: SetpointLimit<Frequency>)
    case powerOutOfRange(device: String, requested: Power, allowed: SetpointLimit<Power>)
    /// The instrument did not take the setpoint (its read-back differs).
    case notApplied(device: String, command: String, readBack: String)
    case wrongInstrument(device: String, expected: String, found: String)
    case timeout(device: String, command: String)
    case malformedReply(device: String, command: String, reply: String)
    case disconnected(device: String)

    public var description: String {
        switch self {
        case let .frequencyOutOfRange(d, r, a): "\(d): frequency \(r) outside \(a.lower)...\(a.upper); not sent"
        case let .powerOutOfRange(d, r, a): "\(d): power \(r.dBm) dBm outside \(a.lower.dBm)...\(a.upper.dBm) dBm; not sent"
        case let .notApplied(d, c, r): "\(d): \(c) not applied (reads back \(r))"
        case let .wrongInstrument(d, e, f): "\(d): expected \(e), found \(f)"
        case let .timeout(d, c): "\(d): no reply to \(c)"
        case let .malformedReply(d, c, r): "\(d): malformed reply to \(c): \(r.debugDescription)"
        case let .disconnected(d): "\(d): disconnected"
        }
    }
}
