/// A lab configuration that cannot be used. Each case names the key (as a dotted path) and its line.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case syntax(message: String)
    case unknownKey(path: String, line: Int)
    case missingKey(path: String, line: Int)
    /// A key nobody reads, close to one that was missing (`cnt` beside a missing `count`).
    case misspeltKey(path: String, meant: String, line: Int)
    case wrongType(path: String, expected: String, found: String, line: Int)
    case outOfRange(path: String, value: String, allowed: String, line: Int)
    case unreadable(path: String, message: String)
    /// A document past the size any real one has (``ConfigSection/maxDocumentBytes``), refused unparsed.
    case tooLarge(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case let .syntax(m): "lab config: YAML syntax error: \(m)"
        case let .unknownKey(p, l): "lab config line \(l): unknown key '\(p)'"
        case let .missingKey(p, l): "lab config line \(l): missing key '\(p)'"
        case let .misspeltKey(p, m, l): "lab config line \(l): unknown key '\(p)' (did you mean '\(m)'?)"
        case let .wrongType(p, e, f, l): "lab config line \(l): '\(p)' must be \(e), found '\(f)'"
        case let .outOfRange(p, v, a, l): "lab config line \(l): '\(p)' = \(v) is outside \(a)"
        case let .unreadable(p, m): "lab config \(p): \(m)"
        case let .tooLarge(b, l): "lab config: the document is \(b) bytes; at most \(l) are read"
        }
    }
}
