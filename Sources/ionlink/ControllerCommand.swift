#if Networking
import ArgumentParser
import Foundation
import IonLink
import IonLinkAssembly
import IonLinkController
import IonLinkSimulation
import Logging

/// `ionlink controller`: the lab's instruments as ARTIQ controllers, over sipyco's pc_rpc protocol.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "Serve the lab's instruments as ARTIQ controllers (sipyco pc_rpc), one target per role.",
        discussion: """
            Each role (nodeA.cooling, nodeA.trap, hub.detector1, hub.pulses, hub.tagger, …) is a pc_rpc target whose methods \
            follow its device protocol, with SI units in their names (set_power_w, set_bias_a, set_electrode_v); setpoints \
            past the lab YAML's limits are refused with ValueError. Every target answers ping(); terminate() stops the \
            server and leaves the instruments in their safe state. --print-device-db prints the ARTIQ device_db entries. \
            See docs/artiq.md.
            """)

    @OptionGroup var lab: LabOptions

    @Option(help: "Address to listen on (ARTIQ's controller manager passes {bind}).")
    var bind = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port; the chosen one is printed).")
    var port = 3280

    @Flag(help: "Print the ARTIQ device_db entries for these controllers and exit (opens no instrument).")
    var printDeviceDb = false

    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must lie in 0…65535, got \(port)") }
        if printDeviceDb && port == 0 { throw ValidationError("--print-device-db needs a fixed --port") }
    }

    func run() async throws {
        let logger = Logger.commandLine(label: "ionlink.controller", level: logLevel)
        let labConfig = try exitingWith(2) { try parseLabConfig(try loadLabConfigText(path: lab.config)) }
        if printDeviceDb {
            // The roles of the lab, from its simulated form (the same roles, whatever serves them).
            let roles = try exitingWith(2) { ServedDevices(lab: try SimulatedLab(config: labConfig, seed: lab.seed, logger: logger).lab) }
            let targets = roles.controllerTargets(clock: ContinuousClock()).map(\.name)
            print(ARTIQDeviceDB(targets: targets, host: bind, port: port, command: managerCommand).python, terminator: "")
            return
        }
        let assembled = try await exitingWith(2) { try await LabBuilder(logger: logger).build(labConfig, seed: lab.seed) }
        let targets = ServedDevices(lab: assembled.lab).controllerTargets(clock: ContinuousClock())
        let server = try await exitingWith(2) {
            try await ControllerServer.start(host: bind, port: port, targets: targets, description: "IonLink lab \(labConfig.name)", logger: logger)
        }
        // Scripts and tests read the port from this line.
        FileHandle.standardOutput.write(Data("pc_rpc on \(bind):\(server.port): \(targets.map(\.name).sorted().joined(separator: " "))\n".utf8))
        let signals = StopSignals { _ in server.stop() }
        defer { withExtendedLifetime(signals) {} }
        await server.wait()
        for step in await assembled.lab.bringToSafeState() {
            logger.notice("safe state", metadata: ["device": "\(step.device)", "action": "\(step.action)", "failure": "\(step.failure ?? "none")"])
        }
    }

    /// This command as ARTIQ's controller manager should run it: this executable, the lab YAML by absolute
    /// path, `{bind}` and `{port}` left for the manager.
    private var managerCommand: String {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        var words = [executable, "controller"]
        if let config = lab.config { words += ["--config", URL(fileURLWithPath: config).standardizedFileURL.path] }
        words += ["--seed", "\(lab.seed)", "--bind", "{bind}", "--port", "{port}"]
        return words.map(Self.shellQuoted).joined(separator: " ")
    }

    /// A word as POSIX shell (and Python's shlex.split) reads it back unchanged.
    static func shellQuoted(_ word: String) -> String {
        if word.allSatisfy({ $0.isLetter || $0.isNumber || "/._-{}:".contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
#else
import ArgumentParser

/// `ionlink controller` in a build without the Networking trait: it says how to get the networked build.
struct ControllerCommand: NeedsNetworking {
    static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "Serve the lab's instruments as ARTIQ controllers (in the build with the Networking trait).")

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var rest: [String] = []
}
#endif
