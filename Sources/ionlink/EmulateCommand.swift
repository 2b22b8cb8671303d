import ArgumentParser
import Foundation
import IonLinkAssembly
import IonLinkMocks

/// `ionlink emulate MODEL...`: wire-level emulators on virtual serial ports and virtual USB devices.
struct EmulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulate",
        abstract: "Serve instrument emulators on virtual serial ports (umockdev) for lab scripts and tests.",
        discussion: "Models: "
            + InstrumentCatalog.standard.models.filter { $0.emulator != nil }.map { "\($0.name) (\($0.summary))" }.joined(separator: ", ")
            + ". Run a program against them with the printed environment, e.g. `env $(ionlink emulate obis --print-env-only) ...`.")

    @Argument(help: "Instrument models to emulate.")
    var models: [String]

    @Option(help: "Stop after this long (default: until interrupted), e.g. 60s.")
    var duration: LabDuration?

    func validate() throws {
        let known = InstrumentCatalog.standard.models.filter { $0.emulator != nil }.map(\.name)
        for m in models where !known.contains(m.lowercased()) {
            throw ValidationError("no emulator for '\(m)'; emulated models: \(known.joined(separator: ", "))")
        }
        if models.isEmpty { throw ValidationError("name at least one model") }
    }

    func run() async throws {
        let testbed = try VirtualSerialTestbed()
        var ports: [EmulatedSerialPort] = [], usbDevices: [VirtualUSBDevice] = []
        var instances: [String: Int] = [:]
        for m in models {
            let model = InstrumentCatalog.standard.model(m)!
            // Each instance of a model its own USB serial number, so a locator can tell them apart.
            let n = instances[model.name, default: 0] + 1
            instances[model.name] = n
            switch model.emulator {
            case nil: continue
            case let .usbtmc(vendor, product, serialNumber, make)?:
                let serial = serialNumber + (n > 1 ? "-\(n)" : "")
                let emulator = USBTMCDeviceEmulator(vendorID: vendor, productID: product, manufacturer: "IonLink emulator",
                                                    product: model.name, serialNumber: serial, instrument: make())
                let device = try VirtualUSBDevice(testbed: testbed, address: 10 + usbDevices.count, vendorID: vendor,
                                                  productID: product, serialNumber: serial, emulator: emulator)
                usbDevices.append(device)
                emit("\(model.name)\t\(device.devnode)\t\(String(format: "%04x:%04x", vendor, product)):\(serial)")
            case .serial(var usb, let make)?:
                usb.serialNumber = usb.serialNumber.replacingOccurrences(of: "-1", with: "-\(n)")
                let port = try EmulatedSerialPort(testbed: testbed, usb: usb, emulator: make())
                ports.append(port)
                emit("\(model.name)\t\(port.devnode)\t\(String(format: "%04x:%04x", usb.vendorID, usb.productID)):\(usb.serialNumber)")
            }
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
