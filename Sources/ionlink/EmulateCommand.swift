import ArgumentParser
import Foundation
import IonLinkMocks

/// `ionlink emulate MODEL...`: wire-level emulators on virtual serial ports.
struct EmulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulate",
        abstract: "Serve instrument emulators on virtual serial ports (umockdev) for lab scripts and tests.",
        discussion: "Models: " + (EmulatorCatalog.entries.map { "\($0.model) (\($0.summary))" }
            + EmulatorCatalog.usbEntries.map { "\($0.model) (\($0.summary))" }).joined(separator: ", ")
            + ". Run a program against them with the printed environment, e.g. `env $(ionlink emulate obis --print-env-only) ...`.")

    @Argument(help: "Instrument models to emulate.")
    var models: [String]

    @Option(help: "Stop after this long (default: until interrupted), e.g. 60s.")
    var duration: LabDuration?

    func validate() throws {
        for m in models where EmulatorCatalog.entry(m) == nil && EmulatorCatalog.usbEntry(m) == nil {
            let known = EmulatorCatalog.entries.map(\.model) + EmulatorCatalog.usbEntries.map(\.model)
            throw ValidationError("unknown model '\(m)'; known: \(known.joined(separator: ", "))")
        }
        if models.isEmpty { throw ValidationError("name at least one model") }
    }

    func run() async throws {
        let testbed = try VirtualSerialTestbed()
        var ports: [EmulatedSerialPort] = []
        var usbDevices: [VirtualUSBDevice] = []
        var instances: [String: Int] = [:]
        for m in models {
            if let usb = EmulatorCatalog.usbEntry(m) {
                let n = instances[usb.model, default: 0] + 1
                instances[usb.model] = n
                let serial = usb.serialNumber + (n > 1 ? "-\(n)" : "")
                let emulator = USBTMCDeviceEmulator(vendorID: usb.vendorID, productID: usb.productID, manufacturer: "IonLink emulator",
                                                    product: usb.model, serialNumber: serial, instrument: usb.make())
                let device = try VirtualUSBDevice(testbed: testbed, address: 10 + usbDevices.count, vendorID: usb.vendorID,
                                                  productID: usb.productID, serialNumber: serial, emulator: emulator)
                usbDevices.append(device)
                emit("\(usb.model)\t\(device.devnode)\t\(String(format: "%04x:%04x", usb.vendorID, usb.productID)):\(serial)")
                continue
            }
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
        withExtendedLifetime((ports, usbDevices)) {}
    }

    /// Writes a line to stdout unbuffered, so a script reading the pipe sees it at once.
    private func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
