import GRPCCore
import GRPCNIOTransportHTTP2
import IonLink
import Logging

/// One `ionlink serve` node: its services on a gRPC listener, behind token authentication and,
/// optionally, TLS with client certificates.
public final class NodeServer: Sendable {
    let server: GRPCServer<HTTP2ServerTransport.Posix>
    let serving: Task<Void, any Error>
    /// The port the node listens on (the one chosen when asked for port 0).
    public let port: Int

    /// Starts listening; returns once the port is bound.
    /// - Parameters:
    ///   - tls: the node's certificate and key; with `authority`, clients must present a certificate it
    ///     signed (mTLS). Nil serves plaintext (loopback and test networks only).
    ///   - runs: the Runs service, for a node that serves a whole lab.
    ///   - limits: the stream limit advertised to clients and the idle-connection timeout.
    public static func start(host: String, port: Int, tls: TLSFiles?, policy: AccessPolicy,
                             devices: DevicesService, runs: RunsService? = nil, limits: ServerLimits = .standard,
                             logger: Logger) async throws -> NodeServer {
        let services: [any RegistrableRPCService] = [devices] + (runs.map { [$0] } ?? [])
        let security: HTTP2ServerTransport.Posix.TransportSecurity
        if let tls {
            guard let cert = tls.certificate, let key = tls.key else { throw NodeServerError.tlsNeedsCertificateAndKey }
            if let ca = tls.authority {
                security = .mTLS(certificateChain: [.file(path: cert, format: .pem)], privateKey: .file(path: key, format: .pem)) { c in
                    c.trustRoots = .certificates([.file(path: ca, format: .pem)])
                    c.clientCertificateVerification = .noHostnameVerification
                }
            } else {
                security = .tls(certificateChain: [.file(path: cert, format: .pem)], privateKey: .file(path: key, format: .pem))
            }
        } else {
            security = .plaintext
        }
        var transportConfig = HTTP2ServerTransport.Posix.Config.defaults
        transportConfig.http2.maxConcurrentStreams = limits.maxConcurrentStreams
        transportConfig.connection.maxIdleTime = limits.idleTimeout
        // An idle connection is closed gracefully (GOAWAY, PING, and the close on the client's ack: gRFC A9); a
        // client that never answers is caught by keepalive instead: pinged after the same quiet time, closed
        // when the ack is not back within min(20 s, the idle timeout).
        transportConfig.connection.keepalive.time = limits.idleTimeout
        transportConfig.connection.keepalive.timeout = min(.seconds(20), limits.idleTimeout)
        transportConfig.channelDebuggingCallbacks.onAcceptTCPConnection = limits.installSilenceBackstop
        let transport = HTTP2ServerTransport.Posix(address: .ipv4(host: host, port: port), transportSecurity: security,
                                                   config: transportConfig)
        let server = GRPCServer(transport: transport, services: services,
                                interceptors: [AccessInterceptor(policy: policy, logger: logger)])
        let serving = Task { try await server.serve() }
        let bound: Int
        do {
            guard let ipv4 = try await transport.listeningAddress.ipv4 else { throw NodeServerError.notListening("no IPv4 address") }
            bound = ipv4.port
        } catch {
            server.beginGracefulShutdown()
            serving.cancel()
            // The real reason (address in use, bad certificate) is the serving task's.
            if case let .failure(e) = await serving.result { throw NodeServerError.notListening("\(e)") }
            throw NodeServerError.notListening("\(error)")
        }
        logger.notice(
            "serving", metadata: ["host": "\(host)", "port": "\(bound)", "max_streams": "\(limits.maxConcurrentStreams)",
                                  "idle_timeout": "\(limits.idleTimeout)", "tls": "\(tls == nil ? "off" : tls?.authority == nil ? "on" : "mutual")"])
        return NodeServer(server: server, serving: serving, port: bound)
    }

    private init(server: GRPCServer<HTTP2ServerTransport.Posix>, serving: Task<Void, any Error>, port: Int) {
        self.server = server
        self.serving = serving
        self.port = port
    }

    /// Stops accepting calls, lets those in flight finish, and returns when the listener is closed.
    public func stop() async {
        server.beginGracefulShutdown()
        _ = await serving.result
    }

    /// Waits until the server stops (after ``stop()``, or when its transport fails).
    public func wait() async throws { try await serving.value }
}

/// A node that cannot start.
public enum NodeServerError: Error, Sendable, Equatable, CustomStringConvertible {
    case tlsNeedsCertificateAndKey
    case notListening(String)
    public var description: String {
        switch self {
        case .tlsNeedsCertificateAndKey: "TLS needs the node's certificate and its key"
        case let .notListening(m): "not listening: \(m)"
        }
    }
}
