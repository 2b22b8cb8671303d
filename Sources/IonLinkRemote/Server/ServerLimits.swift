/// What one `ionlink serve` node allows a connection: the limits it advertises and enforces.
///
/// - `maxConcurrentStreams` is sent to every client in the server's first HTTP/2 SETTINGS frame
///   (SETTINGS_MAX_CONCURRENT_STREAMS, RFC 9113 §6.5.2), so a compliant client queues its calls past the
///   limit instead of opening a stream the server must refuse. The value is the one swift-nio-http2
///   enforces before the client has acknowledged the settings (100), so that there is no window in which
///   the advertised limit and the enforced one differ.
/// - `idleTimeout`: a connection with no open stream for this long is closed (GOAWAY, then close), so
///   clients that connect and go quiet cannot pile up sockets and memory; a client's next call reconnects.
///   A connection that says nothing at all — not even the answer to the server's ping — is closed by
///   keepalive after the same quiet time plus min(20 s, the idle timeout).
public struct ServerLimits: Sendable, Equatable {
    /// Concurrent streams (calls) allowed on one connection.
    public var maxConcurrentStreams: Int
    /// How long a connection with no call in flight is kept open.
    public var idleTimeout: Duration

    public init(maxConcurrentStreams: Int = 100, idleTimeout: Duration = .seconds(300)) {
        self.maxConcurrentStreams = maxConcurrentStreams
        self.idleTimeout = idleTimeout
    }

    /// The limits a node serves with unless told otherwise: 100 streams, 5 minutes idle.
    public static let standard = ServerLimits()

    /// The ranges `ionlink serve` accepts: 1…10 000 streams; an idle timeout of 1 s…1 day.
    public func validated() throws(ServerLimitsError) -> ServerLimits {
        guard (1...10_000).contains(maxConcurrentStreams) else { throw .streamsOutOfRange(maxConcurrentStreams) }
        guard idleTimeout >= .seconds(1) && idleTimeout <= .seconds(86_400) else { throw .idleTimeoutOutOfRange(idleTimeout) }
        return self
    }
}

/// Server limits outside what a node accepts.
public enum ServerLimitsError: Error, Sendable, Equatable, CustomStringConvertible {
    case streamsOutOfRange(Int)
    case idleTimeoutOutOfRange(Duration)
    public var description: String {
        switch self {
        case let .streamsOutOfRange(n): "max concurrent streams \(n) is outside 1…10000"
        case let .idleTimeoutOutOfRange(d): "idle timeout \(d) is outside 1 s…1 day"
        }
    }
}
