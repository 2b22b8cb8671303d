/// Why a byte transport (serial port, USB endpoint, virtual port) failed.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(port: String)
    case busy(port: String)
    case permissionDenied(port: String)
    /// Nothing (or not a whole frame) arrived within the timeout; `partial` holds what did.
    case timeout(port: String, after: Duration, partial: [UInt8])
    case malformedReply(port: String, reply: [UInt8])
    case disconnected(port: String)
    case wrongInstrument(port: String, expected: String, found: String)

    public var description: String {
        switch self {
        case let .notFound(p): "\(p): no such port"
        case let .busy(p): "\(p): port busy"
        case let .permissionDenied(p): "\(p): permission denied"
        case let .timeout(p, t, partial): "\(p): timeout after \(t) (\(partial.count) bytes received)"
        case let .malformedReply(p, r): "\(p): malformed reply \(String(decoding: r, as: UTF8.self).debugDescription)"
        case let .disconnected(p): "\(p): disconnected"
        case let .wrongInstrument(p, e, f): "\(p): expected \(e), found \(f)"
        }
    }
}
