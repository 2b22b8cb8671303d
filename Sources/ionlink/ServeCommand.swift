#if Networking
import ArgumentParser
import Foundation
import IonLink
import IonLinkAssembly
import IonLinkDashboard
import IonLinkRemote
import IonLinkSequencer
import IonLinkSimulation
import Logging

/// `ionlink serve`: one node of a lab on the network (gRPC), behind tokens and optionally mutual TLS.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a node's devices (and, for a whole lab, its heralding runs) over gRPC.",
        discussion: """
            --part lab serves the whole lab: every device and the Runs service (start, watch, stop runs).
            --part nodeA / nodeB / hub serves one part, for a run coordinated by `ionlink run --config distributed.yaml`.
            With simulated devices the hub also holds the simulated ions (the heralded pair is one quantum
            state), and the trap nodes reach their ion's lasers and trap through it (--world), with their own
            tokens and limits. Every call needs a bearer token from --tokens; commands need the control role.
            """)

    enum Part: String, ExpressibleByArgument, CaseIterable {
        case lab, nodeA, nodeB, hub
    }

    @Option(help: "What to serve: lab, nodeA, nodeB or hub.")
    var part: Part = .lab

    @OptionGroup var lab: LabOptions
    var config: String? { lab.config }
    var seed: UInt64 { lab.seed }

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port; the chosen one is printed).")
    var port = 7400

    @Option(help: "Tokens file (YAML, mode 600): principals, their roles (observe, control) and bearer tokens.")
    var tokens: String

    @Option(help: "This node's TLS certificate (PEM); with --tls-key, the node serves TLS.")
    var tlsCert: String?

    @Option(help: "This node's TLS private key (PEM).")
    var tlsKey: String?

    @Option(help: "Require client certificates signed by this authority (PEM): mutual TLS.")
    var clientCa: String?

    @Option(help: "For nodeA/nodeB with simulated devices: host:port of the hub holding the simulated ions.")
    var world: String?

    @Option(help: "The bearer token (a file, mode 600) this node presents to --world.")
    var worldTokenFile: String?

    @Option(help: "Authority (PEM) the --world hub's certificate is checked against (TLS towards the hub).")
    var worldCa: String?

    @Option(help: "With --part lab: also serve the live dashboard page on this port (0: any free port; printed).")
    var dashboardPort: Int?

    @Option(help: "Concurrent calls allowed on one connection (1…10000), advertised to clients in HTTP/2 SETTINGS.")
    var maxStreams = ServerLimits.standard.maxConcurrentStreams

    @Option(help: "Close a connection with no call in flight after this long (1s…24h), e.g. 300s or 5m.")
    var idleTimeout = LabDuration(ServerLimits.standard.idleTimeout)

    @Option(help: "With --part lab: the folder where each run's HDF5 record goes (run-<UTC time>-<run>-seed<seed>.h5).")
    var records = "runs"

    @Flag(help: "With --part lab: keep no run records.")
    var noRecord = false

    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if clientCa != nil && tlsCert == nil { throw ValidationError("--client-ca (mutual TLS) needs --tls-cert and --tls-key") }
        if world != nil && ![.nodeA, .nodeB].contains(part) { throw ValidationError("--world is for --part nodeA or nodeB") }
        if world != nil && worldTokenFile == nil { throw ValidationError("--world needs --world-token-file") }
        do { _ = try limits.validated() } catch { throw ValidationError("\(error)") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must lie in 0…65535, got \(port)") }
        if let d = dashboardPort, !(0...65535).contains(d) { throw ValidationError("--dashboard-port must lie in 0…65535, got \(d)") }
        if dashboardPort != nil && part != .lab {
            throw ValidationError("--dashboard-port is for --part lab (the dashboard follows the node's runs)")
        }
    }

    func run() async throws {
        let logger = Logger.commandLine(label: "ionlink.serve", level: logLevel)
        let policy = try exitingWith(2) { try AccessPolicy.load(path: tokens) }
        let node = try await exitingWith(2) {
            let text = try loadLabConfigText(path: config)
            let assembled = try await LabBuilder(logger: logger).build(try parseLabConfig(text), seed: seed)
            return try await ServedNode.make(self, assembled: assembled, configText: text, logger: logger)
        }
        let tls = tlsCert.map { TLSFiles(certificate: $0, key: tlsKey, authority: clientCa) }
        let server = try await exitingWith(2) {
            try await NodeServer.start(host: host, port: port, tls: tls, policy: policy, devices: node.devices, runs: node.runs,
                                  limits: limits, logger: logger)
        }
        let dashboard = try await exitingWith(2) { try await startDashboard(runs: node.runs, policy: policy, server: server, logger: logger) }
        // Scripts and tests read the ports from these lines.
        if let dashboard { FileHandle.standardOutput.write(Data("dashboard on http://\(host):\(dashboard.port)/?token=...\n".utf8)) }
        FileHandle.standardOutput.write(Data("serving \(part.rawValue) on \(host):\(server.port)\n".utf8))
        let signals = StopSignals { _ in
            FileHandle.standardError.write(Data("\nstopping: the run in progress (safe state), then calls in flight\n".utf8))
            Task {
                await node.runs?.stopCurrentRun()
                await server.stop()
            }
        }
        defer { withExtendedLifetime(signals) {} }
        try await exitingWith(2) { try await server.wait() }
        await dashboard?.stop()
        await node.close(logger: logger)
    }

    private var limits: ServerLimits { ServerLimits(maxConcurrentStreams: maxStreams, idleTimeout: idleTimeout.duration) }

    /// The live dashboard, if asked for (a node serving runs); the server is stopped if it cannot start.
    private func startDashboard(runs: RunsService?, policy: AccessPolicy, server: NodeServer, logger: Logger) async throws -> DashboardServer? {
        guard let dashboardPort, let runs else { return nil }
        do {
            return try await DashboardServer.start(host: host, port: dashboardPort, policy: policy, runs: runs, logger: logger)
        } catch {
            await server.stop()
            throw error
        }
    }

    /// A node's endpoint from host:port and a token file (mode 600).
    static func endpoint(_ address: String, tokenFile: String, authority: String?) throws -> NodeEndpoint {
        guard let hp = DistributedConfig.HostPort(address) else { throw ValidationError("'\(address)' is not host:port") }
        let token: String
        do { token = try SecretFile.read(tokenFile) } catch {
            switch error {
            case let .readableByOthers(p, mode): throw ValidationError("\(p) has mode \(mode): chmod 600 it")
            case let .unreadable(p, m): throw ValidationError("\(p): \(m)")
            }
        }
        return NodeEndpoint(host: hp.host, port: hp.port, token: token.trimmingCharacters(in: .whitespacesAndNewlines),
                            tls: authority.map { TLSFiles(authority: $0) })
    }
}
#else
import ArgumentParser

/// `ionlink serve` in a build without the Networking trait: it says how to get the networked build.
struct ServeCommand: NeedsNetworking {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a node's devices and runs over gRPC (in the build with the Networking trait).",
        discussion: "This build leaves the networked parts out, so that a first build shows a simulated run in minutes. "
            + "Build them with `swift build -c release --traits Networking` (README's test command does).")

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var rest: [String] = []
}
#endif
