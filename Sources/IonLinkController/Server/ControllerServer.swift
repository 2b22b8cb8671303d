import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A pc_rpc server (sipyco's wire protocol, what ARTIQ controllers speak) serving a lab's roles as targets.
///
/// Each connection is its own ``PcRpcSession``: a client that dies mid-call or sends garbage loses only its
/// own connection. `terminate()` from any client, or ``stop()``, ends the server; ``wait()`` returns then.
public final class ControllerServer: Sendable {
    /// Bounds on what one client can make the server hold.
    public struct Limits: Sendable {
        /// The longest request line, in bytes.
        public var maxLineBytes = 1 << 20
        /// Connections served at once; one more is closed on accept.
        public var maxConnections = 64
        public init() {}
    }

    /// The port the server listens on (the chosen one when asked for port 0).
    public let port: Int
    private let listener: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
    private let run: Mutex<Task<Void, Never>?>
    /// Connections being served.
    private let open = Atomic<Int>(0)

    private init(port: Int, listener: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>) {
        self.port = port
        self.listener = listener
        self.run = Mutex(nil)
    }

    /// Listens on `host:port` and serves `targets` until stopped.
    public static func start(host: String, port: Int, targets: [ControllerTarget], description: String?, limits: Limits = Limits(),
                             logger: Logger) async throws -> ControllerServer {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder(maximum: limits.maxLineBytes)))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child)
                }
            }
        let server = ControllerServer(port: listener.channel.localAddress?.port ?? port, listener: listener)
        let table = Dictionary(targets.map { ($0.name, $0) }) { first, _ in first }
        let task = Task { await server.accept(targets: table, description: description, limits: limits, logger: logger) }
        server.run.withLock { $0 = task }
        return server
    }

    /// Returns when the server has stopped (``stop()`` or a client's `terminate()`).
    public func wait() async {
        await run.withLock { $0 }?.value
    }

    /// Stops listening and closes every connection.
    public func stop() {
        listener.channel.close(promise: nil)
    }

    private func accept(targets: [String: ControllerTarget], description: String?, limits: Limits, logger: Logger) async {
        do {
            try await withThrowingDiscardingTaskGroup { group in
                try await listener.executeThenClose { inbound in
                    for try await connection in inbound {
                        guard open.add(1, ordering: .relaxed).newValue <= limits.maxConnections else {
                            open.subtract(1, ordering: .relaxed)
                            logger.warning("pc_rpc: too many connections; one refused", metadata: ["limit": "\(limits.maxConnections)"])
                            try? await connection.channel.close()
                            continue
                        }
                        group.addTask {
                            defer { self.open.subtract(1, ordering: .relaxed) }
                            var session = PcRpcSession(targets: targets, description: description, logger: logger)
                            if await Self.serve(connection, session: &session, logger: logger) { self.stop() }
                        }
                    }
                }
                group.cancelAll()
            }
        } catch {
            logger.error("pc_rpc: the listener failed", metadata: ["error": "\(error)"])
        }
    }

    /// Serves one connection; true if its client asked the server to terminate.
    private static func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, session: inout PcRpcSession, logger: Logger) async -> Bool {
        do {
            return try await connection.executeThenClose { inbound, outbound in
                for try await line in inbound {
                    let step = await session.receive(String(buffer: line))
                    if let reply = step.reply { try await outbound.write(ByteBuffer(string: reply + "\n")) }
                    if step.close { return step.terminate }
                }
                return false
            }
        } catch {
            logger.debug("pc_rpc: a connection ended", metadata: ["error": "\(error)"])
            return false
        }
    }
}
