import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import IonLink
import IonLinkAssembly
import IonLinkPhysics
import IonLinkSimulation
import Logging
@testable import IonLinkRemote

/// Nodes on loopback ports for the remote tests.
enum Remote {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    static let controlToken = "control-0123456789abcdef-alice"
    static let observeToken = "observe-0123456789abcdef-bob"
    static let policy = AccessPolicy(tokens: [(controlToken, Caller(principal: "alice", role: .control)),
                                              (observeToken, Caller(principal: "bob", role: .observe))])

    static func config(_ edit: (inout LabConfig) -> Void = { _ in }) throws -> LabConfig {
        var c = try LabConfig.parse(yaml: LabConfig.defaultYAML(), speciesKeys: Species.presets.keys.sorted())
        edit(&c)
        return c
    }

    static func simulatedLab(seed: UInt64 = 1, _ edit: (inout LabConfig) -> Void = { _ in }) throws -> SimulatedLab {
        try SimulatedLab(config: config(edit), seed: seed, logger: logger)
    }

    /// Serves `parts` of `lab` (and its runs, if `runs`) on a free loopback port.
    static func serve(_ lab: SimulatedLab, parts: Set<LabPart> = Set(LabPart.allCases), runs: Bool = false, port: Int = 0,
                      tls: TLSFiles? = nil, devices: ServedDevices? = nil) async throws -> NodeServer {
        let served = devices ?? ServedDevices(lab: lab.lab, parts: parts)
        let devicesService = DevicesService(node: "test", devices: served, servesRuns: runs, simulationSeed: 1, logger: logger)
        let runsService = runs
            ? RunsService(node: "test", lab: AssembledLab(simulation: lab), seed: 1,
                          board: RunBoard(model: lab.model), logger: logger)
            : nil
        return try await NodeServer.start(host: "127.0.0.1", port: port, tls: tls, policy: policy, devices: devicesService,
                                          runs: runsService, logger: logger)
    }

    static func endpoint(_ server: NodeServer, token: String = controlToken, tls: TLSFiles? = nil) -> NodeEndpoint {
        NodeEndpoint(host: "127.0.0.1", port: server.port, token: token, tls: tls)
    }

    /// A raw generated client, for calls the remote devices would refuse before sending.
    static func withClient<R: Sendable>(_ server: NodeServer, token: String?,
                                        _ body: @Sendable (Ionlink_V1_Devices.Client<HTTP2ClientTransport.Posix>,
                                                           Ionlink_V1_Runs.Client<HTTP2ClientTransport.Posix>, Metadata) async throws -> R)
        async throws -> R
    {
        try await withGRPCClient(transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: server.port),
                                                           transportSecurity: .plaintext)) { client in
            var metadata = Metadata()
            if let token { metadata.addString("Bearer \(token)", forKey: "authorization") }
            return try await body(Ionlink_V1_Devices.Client(wrapping: client), Ionlink_V1_Runs.Client(wrapping: client), metadata)
        }
    }

    /// Waits until `condition` holds, polling; false after `timeout`.
    static func eventually(_ timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }
}
