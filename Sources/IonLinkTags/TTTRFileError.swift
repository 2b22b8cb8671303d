/// Why a time-tag file could not be read. Every case but ``unreadable(message:)`` and ``missingTag(name:)``
/// names the byte offset where reading stopped.
public enum TTTRFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongMagic(found: String)
    case truncated(offset: Int, needed: Int)
    case malformedHeader(offset: Int, message: String)
    case unknownRecordType(offset: Int, value: UInt32)
    case missingTag(name: String)
    case nonMonotonicTime(offset: Int, previous: Int64, found: Int64)
    /// The file could not be opened or read (the system's reason).
    case unreadable(message: String)

    public var description: String {
        switch self {
        case let .wrongMagic(f): "byte 0: not a PicoQuant PTU file (magic \(f.debugDescription))"
        case let .truncated(o, n): "byte \(o): file ends \(n) byte(s) early"
        case let .malformedHeader(o, m): "byte \(o): malformed header: \(m)"
        case let .unknownRecordType(o, v): "byte \(o): unknown record type 0x\(String(v, radix: 16))"
        case let .missingTag(n): "header has no \(n) tag"
        case let .nonMonotonicTime(o, p, f): "byte \(o): time goes backwards (\(f) ps after \(p) ps)"
        case let .unreadable(m): m
        }
    }
}
