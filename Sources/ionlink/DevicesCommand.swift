import ArgumentParser
import IonLinkAssembly
import IonLinkDrivers

/// `ionlink devices`: serial ports, their USB identity and the instrument that answers on each.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List serial ports with USB VID:PID and the instrument identified on each.")

    @Flag(help: "Only list ports; send nothing to them.")
    var noProbe = false

    func run() async throws {
        let ports = SerialPortInfo.all()
        if ports.isEmpty {
            print("no serial ports found")
            return
        }
        for p in ports {
            var line = p.path.padding(toLength: 16, withPad: " ", startingAt: 0)
            line += (p.vidPid ?? "-").padding(toLength: 11, withPad: " ", startingAt: 0)
            line += (p.usbSerialNumber ?? "-").padding(toLength: 16, withPad: " ", startingAt: 0)
            if !noProbe { line += await InstrumentCatalog.standard.identify(path: p.path) ?? "(no supported instrument answered)" }
            print(line)
        }
    }
}
