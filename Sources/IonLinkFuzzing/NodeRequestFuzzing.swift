import GRPCCore
import GRPCInProcessTransport
import IonLink
import IonLinkAssembly
import IonLinkRemote
import Logging
import Synchronization

/// Sends arbitrary bytes as the request message of every gRPC method to served simulated labs, the way
/// a hostile or broken client would: the node must answer each with a reply or a status (never crash,
/// never hang), whatever the fields hold.
///
/// An input is `[method, credentials, node, request bytes…]`: the first byte picks the method (its index
/// in ``methods``), the second the bearer token (control, observe, none, an unknown one, or two), the
/// third which node answers (a whole lab with its Runs service, or a hub that serves the attempt loop),
/// and the rest is sent as the request's serialized protobuf, so the node's own decoding is fuzzed as
/// well as every field's range checks. Streaming calls are read for at most 300 ms; a run one starts is
/// stopped before the next input. The nodes are real `NodeServer` services and access interceptor over
/// gRPC's in-process transport, built once and kept across inputs (as a long-lived node is). The fuzz
/// target `FuzzNodeRequests` and `NodeRequestFuzzTests` both run it.
public enum NodeRequestFuzzing {
    /// Every method of the node's API, in selector order, and whether it streams its replies.
    public static let methods: [(descriptor: MethodDescriptor, streams: Bool)] =
        Ionlink_V1_Devices.Method.descriptors.map { ($0, $0 == Ionlink_V1_Devices.Method.StreamTags.descriptor) }
        + Ionlink_V1_Runs.Method.descriptors.map {
            ($0, [Ionlink_V1_Runs.Method.StartRun.descriptor, Ionlink_V1_Runs.Method.WatchRun.descriptor].contains($0))
        }

    static let controlToken = "fuzz-control-0123456789abcdef"
    static let observeToken = "fuzz-observe-0123456789abcdef"
    static let logger = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }

    /// What came back from one call.
    public enum Outcome: Sendable, Equatable {
        case ok
        case status(RPCError.Code)
    }

    /// Runs one input to completion (blocking the caller: libFuzzer's callback is synchronous).
    public static func run(_ input: [UInt8]) {
        runBlocking { _ = await exercise(input) }
    }

    /// Sends one input's request; returns how the call ended (nil for an empty input or no node).
    /// - Parameter streamFor: how long a streaming call's replies are read before the call is cancelled.
    public static func exercise(_ input: [UInt8], streamFor: Duration = .milliseconds(300)) async -> Outcome? {
        guard input.count >= 3, let nodes = try? await Nodes.shared.get() else { return nil }
        let method = methods[Int(input[0]) % methods.count]
        let node = input[2] % 2 == 0 ? nodes.lab : nodes.hub
        var metadata = Metadata()
        switch input[1] % 5 {
        case 0: metadata.addString("Bearer \(controlToken)", forKey: "authorization")
        case 1: metadata.addString("Bearer \(observeToken)", forKey: "authorization")
        case 2: break
        case 3: metadata.addString("Bearer not-a-token-of-this-node", forKey: "authorization")
        default:
            metadata.addString("Bearer \(observeToken)", forKey: "authorization")
            metadata.addString("Bearer \(controlToken)", forKey: "authorization")
        }
        let outcome = await call(node, method, Array(input.dropFirst(3)), metadata: metadata, streamFor: streamFor)
        if method.descriptor == Ionlink_V1_Runs.Method.StartRun.descriptor { await stopRun(node) }
        return outcome
    }

    static func call(_ client: GRPCClient<InProcessTransport.Client>, _ method: (descriptor: MethodDescriptor, streams: Bool),
                     _ bytes: [UInt8], metadata: Metadata, streamFor: Duration = .milliseconds(300)) async -> Outcome {
        var options = CallOptions.defaults
        options.timeout = method.streams ? streamFor : .seconds(10)
        let request = ClientRequest(message: bytes, metadata: metadata)
        do {
            if method.streams {
                try await client.serverStreaming(request: request, descriptor: method.descriptor, serializer: RawBytes(),
                                                 deserializer: RawBytes(), options: options) { response in
                    for try await _ in response.messages {}
                }
            } else {
                _ = try await client.unary(request: request, descriptor: method.descriptor, serializer: RawBytes(),
                                           deserializer: RawBytes(), options: options) { try $0.message }
            }
            return .ok
        } catch let e as RPCError {
            return .status(e.code)
        } catch {
            return .status(.unknown)
        }
    }

    /// Stops a run an input started (the run belongs to the node and would outlive the call).
    static func stopRun(_ client: GRPCClient<InProcessTransport.Client>) async {
        var metadata = Metadata()
        metadata.addString("Bearer \(controlToken)", forKey: "authorization")
        _ = await call(client, (Ionlink_V1_Runs.Method.StopRun.descriptor, false), [], metadata: metadata)
    }

    /// The two served nodes and their clients, made on first use.
    final class Nodes: Sendable {
        static let shared = Nodes()
        private let made = Mutex<Task<(lab: GRPCClient<InProcessTransport.Client>, hub: GRPCClient<InProcessTransport.Client>), any Error>?>(nil)

        func get() async throws -> (lab: GRPCClient<InProcessTransport.Client>, hub: GRPCClient<InProcessTransport.Client>) {
            let task = made.withLock { task in
                if let task { return task }
                let new = Task { try await Self.make() }
                task = new
                return new
            }
            return try await task.value
        }

        static func make() async throws -> (lab: GRPCClient<InProcessTransport.Client>, hub: GRPCClient<InProcessTransport.Client>) {
            let builder = LabBuilder(logger: logger)
            let config = try builder.parse(yaml: LabConfig.defaultYAML())
            let policy = AccessPolicy(tokens: [(controlToken, Caller(principal: "fuzz-control", role: .control)),
                                               (observeToken, Caller(principal: "fuzz-observe", role: .observe))])
            // A whole lab (devices and runs), and a simulated hub serving every device and the attempt loop.
            let labAssembly = try await builder.build(config, seed: 1), hubAssembly = try await builder.build(config, seed: 2)
            let lab = serve([DevicesService(node: "lab", devices: ServedDevices(lab: labAssembly.lab), servesRuns: true, simulationSeed: 1,
                                            logger: logger),
                             RunsService(node: "lab", lab: labAssembly, seed: 1, board: RunBoard(model: labAssembly.model), logger: logger)],
                            policy: policy)
            let hub = serve([DevicesService(node: "hub", devices: ServedDevices(lab: hubAssembly.lab), simulationSeed: 2, logger: logger)],
                            policy: policy)
            return (lab, hub)
        }

        static func serve(_ services: [any RegistrableRPCService], policy: AccessPolicy) -> GRPCClient<InProcessTransport.Client> {
            let transport = InProcessTransport()
            let server = GRPCServer(transport: transport.server, services: services,
                                    interceptors: [AccessInterceptor(policy: policy, logger: logger)])
            let client = GRPCClient(transport: transport.client)
            Task { try await server.serve() }
            Task { try await client.runConnections() }
            return client
        }
    }
}

/// A request or reply passed as its serialized bytes, unexamined.
struct RawBytes: MessageSerializer, MessageDeserializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
    func deserialize<Bytes: GRPCContiguousBytes>(_ bytes: Bytes) throws -> [UInt8] { bytes.withUnsafeBytes { Array($0) } }
}
