/// Why a ``Laser`` operation failed. Each case names the device and, where one was sent, the command.
public enum LaserError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The setpoint lies outside the configured limits; nothing was sent.
    case setpointOutOfRange(device: String, requested: Power, allowed: SetpointLimit<Power>)
    /// Emission was requested while the interlock is open.
    case interlockOpen(device: String)
    /// The laser reports a fault code.
    case fault(device: String, code: Int, message: String)
    /// The instrument did not answer in time.
    case timeout(device: String, command: String)
    /// The instrument answered the command with an error code.
    case rejected(device: String, command: String, reply: String)
    /// The reply could not be understood.
    case malformedReply(device: String, command: String, reply: String)
    /// The instrument is gone (unplugged, port closed).
    case disconnected(device: String)
    /// A different instrument answered the identification query.
    case wrongInstrument(device: String, expected: String, found: String)

    public var description: String {
        switch self {
        case let .setpointOutOfRange(d, r, a): "\(d): power \(r) outside \(a.lower)...\(a.upper); not sent"
        case let .interlockOpen(d): "\(d): interlock open, emission refused"
        case let .fault(d, c, m): "\(d): fault \(c): \(m)"
        case let .timeout(d, c): "\(d): no reply to \(c)"
        case let .rejected(d, c, r): "\(d): \(c) refused: \(r)"
        case let .malformedReply(d, c, r): "\(d): malformed reply to \(c): \(r.debugDescription)"
        case let .disconnected(d): "\(d): disconnected"
        case let .wrongInstrument(d, e, f): "\(d): expected \(e), found \(f)"
        }
    }
}
