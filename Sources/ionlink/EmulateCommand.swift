import ArgumentParser
import Foundation
import IonLinkMocks

/// `ionlink emulate MODEL...`: wire-level emulators on virtual serial ports.
struct EmulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulate",
        abstract: "Serve instrument emulators on virtual serial ports (umockdev) for lab scripts and tests.",
        discussion: "Models: " + EmulatorCatalog.entries.map { "\($0.model) (\($0.summary))" }.joined(separator: ", ")
            + ". Run a program against them with the printed environment, e.g. `env $(ionlink emulate obis --print-env-only) ...`.")

    @Argument(help: "Instrument models to emulate.")
    var models: [String]

    @Option(help: "Stop after this long (default: until interrupted), e.g. 60s.")
    var duration: LabDuration?

    func validate() throws {
        for m in models where EmulatorCatalog.entry(m) == nil {
            throw ValidationError("unknown model '\(m)'; known: \(EmulatorCatalog.entries.map(\.model).joined(separator: ", "))")
        }
        if models.isEmpty { throw ValidationError("name at least one model") }
    }

    func run() async throws {
        let testbed = try VirtualSerialTestbed()
        var ports: [EmulatedSerialPort] = []
        var instances: [String: Int] = [:]
        for m in models {
            var entry = EmulatorCatalog.entry(m)!
            // Each instance of a model its own USB serial number, so a locator can tell them apart.
            let n = instances[entry.model, default: 0] + 1
            instances[entry.model] = n
            entry.usb.serialNumber = entry.usb.serialNumber.replacingOccurrences(of: "-1", with: "-\(n)")
            let port = try EmulatedSerialPort(testbed: testbed, usb: entry.usb, emulator: entry.make())
            ports.append(port)
            emit("\(entry.model)\t\(port.devnode)\t\(String(format: "%04x:%04x", entry.usb.vendorID, entry.usb.productID)):\(entry.usb.serialNumber)")
        }
        emit("# run clients with:")
        emit(testbed.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        if let d = duration?.duration {
            try await Task.sleep(for: d)
        } else {
            while true { try await Task.sleep(for: .seconds(3600)) }
        }
        withExtendedLifetime(ports) {}
    }

    /// Writes a line to stdout unbuffered, so a script reading the pipe sees it at once.
    private func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
