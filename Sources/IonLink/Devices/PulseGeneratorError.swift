/// Why a ``PulseGenerator`` operation failed.
public enum PulseGeneratorError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptySequence(device: String)
    case stepTooShort(device: String, step: String, minimum: Duration)
    case timeout(device: String, command: String)
    /// The command was refused (by the instrument, or by the node serving it: no permission).
    case rejected(device: String, command: String, reply: String)
    case disconnected(device: String)

    public var description: String {
        switch self {
        case let .emptySequence(d): "\(d): empty pulse sequence"
        case let .stepTooShort(d, s, m): "\(d): step \(s) shorter than the minimum \(m)"
        case let .timeout(d, c): "\(d): no reply to \(c)"
        case let .rejected(d, c, r): "\(d): \(c) refused: \(r)"
        case let .disconnected(d): "\(d): disconnected"
        }
    }
}
