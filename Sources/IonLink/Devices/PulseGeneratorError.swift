/// Why a ``PulseGenerator`` operation failed.
public enum PulseGeneratorError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptySequence(device: String)
    case stepTooShort(device: String, step: String, minimum: Duration)
    case timeout(device: String, command: String)
    case disconnected(device: String)

    public var description: String {
        switch self {
        case let .emptySequence(d): "\(d): empty pulse sequence"
        case let .stepTooShort(d, s, m): "\(d): step \(s) shorter than the minimum \(m)"
        case let .timeout(d, c): "\(d): no reply to \(c)"
        case let .disconnected(d): "\(d): disconnected"
        }
    }
}
