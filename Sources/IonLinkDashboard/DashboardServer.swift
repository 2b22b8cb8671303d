import Foundation
import Hummingbird
import IonLinkRemote
import Logging
import NIOCore

/// A node's live dashboard over HTTP: the page (`/`), its snapshot (`/status.json`) and a stream of
/// snapshots (`/events`, server-sent events, every `interval`).
///
/// The same tokens as the node's gRPC services: a request needs an `Authorization: Bearer` header or a
/// `token` query parameter (the page passes its own on to `/events`, which a browser's EventSource
/// cannot give headers); any role may look.
public final class DashboardServer: Sendable {
    /// The port the dashboard listens on.
    public let port: Int
    let serving: Task<Void, any Error>

    private init(port: Int, serving: Task<Void, any Error>) {
        self.port = port
        self.serving = serving
    }

    /// Starts listening on `host:port` (0: any free port) and returns once it does.
    public static func start(host: String, port: Int, policy: AccessPolicy, runs: RunsService, interval: Duration = .milliseconds(500),
                             logger: Logger) async throws -> DashboardServer {
        let router = Router()
        router.add(middleware: TokenCheck(policy: policy, logger: logger))
        router.get("/") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: DashboardPage.html)))
        }
        router.get("/status.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: await runs.snapshot().json())))
        }
        router.get("/events") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: .init { writer in
                // One snapshot per interval until the browser goes away (the write fails).
                var previous: NodeSnapshot?
                while !Task.isCancelled {
                    let s = await runs.snapshot(after: previous)
                    previous = s
                    try await writer.write(ByteBuffer(string: "data: \(s.json())\n\n"))
                    try await Task.sleep(for: interval)
                }
                try await writer.finish(nil)
            })
        }
        let (bound, boundContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "ionlink"),
                              onServerRunning: { channel in
                                  boundContinuation.yield(channel.localAddress?.port ?? 0)
                                  boundContinuation.finish()
                              }, logger: logger)
        let serving = Task { try await app.run() }
        var port: Int?
        for await p in bound {
            port = p
            break
        }
        guard let port, port > 0 else {
            serving.cancel()
            if case let .failure(e) = await serving.result { throw DashboardError.notListening("\(e)") }
            throw DashboardError.notListening("no port")
        }
        logger.notice("dashboard", metadata: ["host": "\(host)", "port": "\(port)"])
        return DashboardServer(port: port, serving: serving)
    }

    /// Stops serving.
    public func stop() async {
        serving.cancel()
        _ = await serving.result
    }
}

/// A dashboard that cannot start.
public enum DashboardError: Error, CustomStringConvertible {
    case notListening(String)
    public var description: String {
        switch self {
        case let .notListening(m): "dashboard not listening: \(m)"
        }
    }
}

/// Refuses a request without a token the node knows (401).
struct TokenCheck<Context: RequestContext>: RouterMiddleware {
    let policy: AccessPolicy
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let header = request.headers[.authorization]
        let query = request.uri.queryParameters.get("token").map { "Bearer \($0)" }
        guard let presented = header ?? query, policy.caller(authorization: presented) != nil else {
            logger.warning("dashboard: refused", metadata: ["path": "\(request.uri.path)"])
            return Response(status: .unauthorized, headers: [.contentType: "text/plain", .wwwAuthenticate: "Bearer"],
                            body: .init(byteBuffer: ByteBuffer(string: "a token from the node's tokens file is needed: /?token=...\n")))
        }
        return try await next(request, context)
    }
}
