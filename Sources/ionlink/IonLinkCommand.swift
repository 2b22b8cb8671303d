import ArgumentParser

/// `ionlink`: the composition root. It reads configuration and wires roles to devices.
@main
struct IonLinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ionlink",
        abstract: "Photonic interconnects between trapped-ion quantum computers.",
        subcommands: [RunCommand.self, DefaultConfigCommand.self, DevicesCommand.self, ScanCommand.self, EmulateCommand.self, ReplayCommand.self,
                      ReportCommand.self, SweepCommand.self, FaultMatrixCommand.self, SoakCommand.self, NetworkCommand.self, ServeCommand.self],
        defaultSubcommand: RunCommand.self)
}
