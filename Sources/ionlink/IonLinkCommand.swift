import ArgumentParser
import Foundation

/// `ionlink`: the composition root. It reads configuration and wires roles to devices.
@main
struct IonLinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ionlink",
        abstract: "Photonic interconnects between trapped-ion quantum computers.",
        subcommands: [RunCommand.self, DefaultConfigCommand.self, DevicesCommand.self, ScanCommand.self, EmulateCommand.self, ReplayCommand.self,
                      ReportCommand.self, SweepCommand.self, FaultMatrixCommand.self, SoakCommand.self, NetworkCommand.self, ServeCommand.self,
                      ControllerCommand.self],
        defaultSubcommand: RunCommand.self)

    /// Parses and runs the command. A usage error — a flag missing, a value that does not parse or is out
    /// of range — is bad input like a bad lab YAML, so it exits 2 with its message (swift-argument-parser
    /// would exit 64); help and version requests and the commands' own exit codes are unchanged.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
