import GRPCCore
import GRPCNIOTransportHTTP2
import IonLink
import Logging

/// A connection to one `ionlink serve` node: its description, its devices as local protocol values,
/// and its runs.
///
/// Calls present the endpoint's bearer token. A node that goes away is reconnected to on the next call;
/// until then device calls fail as `disconnected` (which the sequencer retries with back-off).
public final class RemoteNode: Sendable {
    public let endpoint: NodeEndpoint
    /// What the node said of itself on connecting.
    public let description: Ionlink_V1_NodeDescription
    /// The node's lab time as its replies carry it.
    public let clock: LabTimeMirror
    let devicesClient: Ionlink_V1_Devices.Client<HTTP2ClientTransport.Posix>
    let runsClient: Ionlink_V1_Runs.Client<HTTP2ClientTransport.Posix>
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    let connections: Task<Void, Never>
    let logger: Logger
    /// Deadline of a device call that has no duration of its own.
    let callTimeout: Duration

    /// Connects and asks the node to describe itself.
    /// - Throws: ``RemoteNodeError`` if the node cannot be reached or refuses the token.
    /// - Parameter clock: the lab clock mirror to keep current with this node's replies (another node's,
    ///   when several nodes share one lab clock); nil: this node's own.
    public static func connect(_ endpoint: NodeEndpoint, sharing clock: LabTimeMirror? = nil, callTimeout: Duration = .seconds(10),
                               logger: Logger) async throws(RemoteNodeError) -> RemoteNode
    {
        let transport: HTTP2ClientTransport.Posix
        do {
            // Reconnect soon after a node comes back (gRPC's default first back-off is 1 s, growing to 2 min).
            let config = HTTP2ClientTransport.Posix.Config.defaults { c in
                c.backoff = .init(initial: .milliseconds(100), max: .seconds(5), multiplier: 1.6, jitter: 0.2)
            }
            // An address is dialled as one (TLS sends no server name for it; NIOSSL refuses an IP there).
            let isAddress = endpoint.host.split(separator: ".").count == 4 && endpoint.host.allSatisfy { $0.isNumber || $0 == "." }
            let target: any ResolvableTarget = isAddress ? ResolvableTargets.IPv4.ipv4(address: endpoint.host, port: endpoint.port)
                : ResolvableTargets.DNS.dns(host: endpoint.host, port: endpoint.port)
            transport = try HTTP2ClientTransport.Posix(target: target, transportSecurity: endpoint.transportSecurity, config: config)
        } catch { throw .unreachable(endpoint: endpoint.description, message: "\(error)") }
        let client = GRPCClient(transport: transport, interceptors: [BearerToken(token: endpoint.token)])
        let connections = Task { _ = try? await client.runConnections() }
        let devices = Ionlink_V1_Devices.Client(wrapping: client)
        let description: Ionlink_V1_NodeDescription
        do {
            var options = CallOptions.defaults
            options.timeout = callTimeout
            description = try await devices.describe(Ionlink_V1_DescribeRequest(), options: options)
        } catch {
            client.beginGracefulShutdown()
            connections.cancel()
            throw RemoteNodeError(error, endpoint: endpoint.description)
        }
        return RemoteNode(endpoint: endpoint, description: description, client: client, connections: connections,
                          clock: clock, callTimeout: callTimeout, logger: logger)
    }

    private init(endpoint: NodeEndpoint, description: Ionlink_V1_NodeDescription, client: GRPCClient<HTTP2ClientTransport.Posix>,
                 connections: Task<Void, Never>, clock shared: LabTimeMirror?, callTimeout: Duration, logger: Logger) {
        self.endpoint = endpoint
        self.description = description
        self.client = client
        self.connections = connections
        self.callTimeout = callTimeout
        self.logger = logger
        let devices = Ionlink_V1_Devices.Client(wrapping: client)
        devicesClient = devices
        runsClient = Ionlink_V1_Runs.Client(wrapping: client)
        let node = endpoint.description
        let timeout = callTimeout
        // Spending lab time must not be lost to a node that is briefly away: retried with back-off.
        let mirror = shared ?? LabTimeMirror { duration in
            var pause = Duration.milliseconds(100)
            let deadline = ContinuousClock.now + .seconds(900)
            while true {
                var options = CallOptions.defaults
                options.timeout = timeout + duration
                do {
                    return try await devices.clock(.with { $0.spendPs = duration.inPicoseconds }, options: options).labTimePs
                } catch {
                    guard ContinuousClock.now < deadline, !Task.isCancelled else {
                        logger.error("lab time not spent", metadata: ["device": "\(node) hub.clock", "error": "\(error)"])
                        return nil
                    }
                    logger.warning("spending lab time failed; retrying", metadata: ["device": "\(node) hub.clock", "error": "\(error)"])
                    try? await Task.sleep(for: pause)
                    pause = min(pause * 2, .seconds(5))
                }
            }
        }
        clock = mirror
        mirror.observe(picoseconds: description.labTimePs)
    }

    deinit {
        client.beginGracefulShutdown()
        connections.cancel()
    }

    /// Closes the connection.
    public func close() {
        client.beginGracefulShutdown()
    }

    /// The devices the node serves, by role.
    public var roles: [String] { description.devices.map(\.role) }

    func device(_ role: String, _ kind: Ionlink_V1_DeviceKind) throws(RemoteNodeError) -> Ionlink_V1_DeviceDescription {
        guard let d = description.devices.first(where: { $0.role == role }) else {
            throw .noSuchDevice(endpoint: endpoint.description, role: role, served: roles)
        }
        guard d.kind == kind else { throw .wrongKind(endpoint: endpoint.description, role: role, expected: "\(kind)", found: "\(d.kind)") }
        return d
    }

    func options(extra: Duration = .zero) -> CallOptions {
        var o = CallOptions.defaults
        o.timeout = callTimeout + extra
        return o
    }

    /// The node's laser in `role`, with a power limit no wider than `limit` (the coordinator's own); a
    /// setpoint outside it is refused here before anything is sent, and again at the node.
    public func laser(_ role: String, limit: SetpointLimit<Power>? = nil) throws(RemoteNodeError) -> any Laser {
        let d = try device(role, .laser)
        return ForwardingLaser(name: d.name, capabilities: d.deviceCapabilities, powerLimit: d.powerLimitW.limit().narrowed(to: limit),
                               line: RemoteLine<LaserCall>(node: self, role: role, device: d.name))
    }

    /// The node's trap controller in `role`, with limits no wider than the given ones.
    public func trap(_ role: String, electrodeLimit: SetpointLimit<Voltage>? = nil, rfAmplitudeLimit: SetpointLimit<Voltage>? = nil)
        throws(RemoteNodeError) -> any TrapController
    {
        let d = try device(role, .trap)
        return ForwardingTrap(name: d.name, capabilities: d.deviceCapabilities, electrodeCount: Int(d.electrodeCount),
                              electrodeLimit: d.electrodeLimitV.limit().narrowed(to: electrodeLimit),
                              rfAmplitudeLimit: d.rfAmplitudeLimitV.limit().narrowed(to: rfAmplitudeLimit),
                              line: RemoteLine<TrapCall>(node: self, role: role, device: d.name))
    }

    /// The node's photon detector in `role`.
    public func detector(_ role: String) throws(RemoteNodeError) -> any PhotonDetector {
        let d = try device(role, .detector)
        return ForwardingDetector(name: d.name, capabilities: d.deviceCapabilities, channel: d.channel, biasLimit: d.biasLimitA.limit(),
                                  line: RemoteLine<DetectorCall>(node: self, role: role, device: d.name))
    }

    /// The node's pulse generator in `role`.
    public func pulses(_ role: String) throws(RemoteNodeError) -> RemotePulseGenerator {
        RemotePulseGenerator(node: self, role: role, description: try device(role, .pulses))
    }

    /// The node's attempt loop in `role`.
    public func attemptLoop(_ role: String) throws(RemoteNodeError) -> RemoteAttemptLoop {
        RemoteAttemptLoop(node: self, role: role, description: try device(role, .attemptLoop))
    }

    /// The node's time tagger in `role`.
    public func tagger(_ role: String) throws(RemoteNodeError) -> RemoteTimeTagger {
        RemoteTimeTagger(node: self, role: role, description: try device(role, .tagger))
    }

    /// The node's lab clock (the node must serve "hub.clock").
    public func labClock() throws(RemoteNodeError) -> LabTimeMirror {
        _ = try device("hub.clock", .clock)
        return clock
    }
}

extension SetpointLimit {
    /// The overlap of this limit with `other` (this limit if `other` is nil).
    func narrowed(to other: SetpointLimit?) -> SetpointLimit {
        guard let other else { return self }
        let lo = Swift.max(lower, other.lower)
        return SetpointLimit(lo, Swift.max(lo, Swift.min(upper, other.upper)))
    }
}

/// Presents the bearer token on every call.
struct BearerToken: ClientInterceptor {
    let token: String
    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>, context: ClientContext,
        next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
    ) async throws -> StreamingClientResponse<Output> {
        var request = request
        request.metadata.replaceOrAddString("Bearer \(token)", forKey: "authorization")
        return try await next(request, context)
    }
}

/// A node that cannot be used.
public enum RemoteNodeError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreachable(endpoint: String, message: String)
    case unauthenticated(endpoint: String, message: String)
    case permissionDenied(endpoint: String, message: String)
    case noSuchDevice(endpoint: String, role: String, served: [String])
    case wrongKind(endpoint: String, role: String, expected: String, found: String)
    case failed(endpoint: String, message: String)

    init(_ error: any Error, endpoint: String) {
        guard let rpc = error as? RPCError else { self = .failed(endpoint: endpoint, message: "\(error)"); return }
        switch rpc.code {
        case .unavailable, .deadlineExceeded: self = .unreachable(endpoint: endpoint, message: rpc.message)
        case .unauthenticated: self = .unauthenticated(endpoint: endpoint, message: rpc.message)
        case .permissionDenied: self = .permissionDenied(endpoint: endpoint, message: rpc.message)
        default: self = .failed(endpoint: endpoint, message: "\(rpc.code): \(rpc.message)")
        }
    }

    public var description: String {
        switch self {
        case let .unreachable(e, m): "node \(e): unreachable: \(m)"
        case let .unauthenticated(e, m): "node \(e): refused the token: \(m)"
        case let .permissionDenied(e, m): "node \(e): permission denied: \(m)"
        case let .noSuchDevice(e, r, s): "node \(e) serves no '\(r)' (it serves \(s.joined(separator: ", ")))"
        case let .wrongKind(e, r, x, f): "node \(e): '\(r)' is a \(f), not a \(x)"
        case let .failed(e, m): "node \(e): \(m)"
        }
    }
}
