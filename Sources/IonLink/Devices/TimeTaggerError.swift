/// Why a ``TimeTagger`` operation failed.
public enum TimeTaggerError: Error, Sendable, Equatable, CustomStringConvertible {
    case noSuchChannel(device: String, channel: Int32)
    case alreadyStreaming(device: String)
    /// A different instrument answered the identification query.
    case wrongInstrument(device: String, expected: String, found: String)
    case timeout(device: String, command: String)
    case malformedReply(device: String, command: String, reply: String)
    case disconnected(device: String)

    public var description: String {
        switch self {
        case let .noSuchChannel(d, c): "\(d): no channel \(c)"
        case let .alreadyStreaming(d): "\(d): a tag stream is already running"
        case let .wrongInstrument(d, e, f): "\(d): expected \(e), found \(f)"
        case let .timeout(d, c): "\(d): no reply to \(c)"
        case let .malformedReply(d, c, r): "\(d): malformed reply to \(c): \(r.debugDescription)"
        case let .disconnected(d): "\(d): disconnected"
        }
    }
}
