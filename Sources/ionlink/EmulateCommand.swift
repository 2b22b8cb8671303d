import ArgumentParser
import Foundation
import IonLink
import IonLinkAssembly
import IonLinkDrivers
import IonLinkMocks

/// `ionlink emulate MODEL...`: wire-level emulators on virtual serial ports and virtual USB devices;
/// `ionlink emulate --lab lab.yaml`: every instrument the lab binds, in one simulated world.
struct EmulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulate",
        abstract: "Serve instrument emulators on virtual serial ports (umockdev) for lab scripts and tests.",
        discussion: "Models: "
            + InstrumentCatalog.standard.models.filter { $0.emulator != nil }.map { "\($0.name) (\($0.summary))" }.joined(separator: ", ")
            + ". Run a program against them with the printed environment, e.g. `env $(ionlink emulate obis | tail -1) ...`. "
            + "With --lab, each instrument the lab's `devices:` binds is emulated at the USB identity its port names "
            + "(vendor:product:serial), inside one simulated world: the pulse generator's bursts make the attempts, the "
            + "excitation lasers' emitted power sets the excitation, the SIM928s' bias makes the detectors live or latched, "
            + "the tagger streams the syncs and the heralds' clicks; then `ionlink run --config` the same lab under the "
            + "printed environment heralds through the real drivers.")

    @Argument(help: "Instrument models to emulate.")
    var models: [String] = []

    @Option(help: "Emulate every instrument this lab YAML binds, in one simulated world.")
    var lab: String?

    @Option(help: "Seed of the emulated world's random stream (with --lab).")
    var seed: UInt64 = 1

    @Option(help: "Stop after this long (default: until interrupted), e.g. 60s.")
    var duration: LabDuration?

    func validate() throws {
        let known = InstrumentCatalog.standard.models.filter { $0.emulator != nil }.map(\.name)
        for m in models where !known.contains(m.lowercased()) {
            throw ValidationError("no emulator for '\(m)'; emulated models: \(known.joined(separator: ", "))")
        }
        if models.isEmpty && lab == nil { throw ValidationError("name at least one model, or a lab with --lab") }
    }

    /// One instrument to serve: its catalog model and the USB identity it shows.
    struct Instance {
        var model: InstrumentModel
        var vendorID: UInt16, productID: UInt16
        var serialNumber: String
    }

    func run() async throws {
        let testbed = try VirtualSerialTestbed()
        var emulatedLab: EmulatedLab?
        if let lab {
            let config = try exitingWith(2) { try loadLabConfig(path: lab) }
            do {
                emulatedLab = try EmulatedLab(config: config, seed: seed, testbed: testbed)
            } catch let e as EmulatedLab.Unfit {
                throw fail(e, code: 2)
            }
            for s in emulatedLab!.served { emit("\(s.model)\t\(s.devnode)\t\(s.identity)") }
        }
        var nextUSBAddress = 10 + (emulatedLab?.usbDevices.count ?? 0), served: [AnyObject?] = []
        for i in instances() { served.append(try serve(i, on: testbed, nextUSBAddress: &nextUSBAddress)) }
        emit("# run clients with:")
        emit(testbed.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        if let d = duration?.duration {
            try await Task.sleep(for: d)
        } else {
            while true { try await Task.sleep(for: .seconds(3600)) }
        }
        withExtendedLifetime((served, emulatedLab)) {}
    }

    /// The models named on the command line, each instance of a model with its own USB serial number, so a locator can
    /// tell them apart.
    private func instances() -> [Instance] {
        var counts: [String: Int] = [:]
        return models.compactMap { m in
            let model = InstrumentCatalog.standard.model(m)!
            let n = counts[model.name, default: 0] + 1
            counts[model.name] = n
            switch model.emulator {
            case let .usbtmc(vendor, product, serialNumber, _)?:
                return Instance(model: model, vendorID: vendor, productID: product, serialNumber: serialNumber + (n > 1 ? "-\(n)" : ""))
            case let .serial(usb, _)?:
                return Instance(model: model, vendorID: usb.vendorID, productID: usb.productID,
                                serialNumber: usb.serialNumber.replacingOccurrences(of: "-1", with: "-\(n)"))
            case nil: return nil
            }
        }
    }

    /// Serves one instance on the testbed (a virtual USB device, or a serial port with its USB identity) and prints its line.
    private func serve(_ i: Instance, on testbed: VirtualSerialTestbed, nextUSBAddress: inout Int) throws -> AnyObject? {
        let id = String(format: "%04x:%04x", i.vendorID, i.productID) + ":" + i.serialNumber
        switch i.model.emulator {
        case nil: return nil
        case let .usbtmc(_, _, _, make)?:
            let emulator = USBTMCDeviceEmulator(vendorID: i.vendorID, productID: i.productID, manufacturer: "IonLink emulator",
                                                product: i.model.name, serialNumber: i.serialNumber, instrument: make())
            let device = try VirtualUSBDevice(testbed: testbed, address: nextUSBAddress, vendorID: i.vendorID,
                                              productID: i.productID, serialNumber: i.serialNumber, emulator: emulator)
            nextUSBAddress += 1
            emit("\(i.model.name)\t\(device.devnode)\t\(id)")
            return device
        case let .serial(usb, make)?:
            var identity = usb  // the catalog's identity (maker, product, attachment), with this instance's serial number
            identity.serialNumber = i.serialNumber
            let port = try EmulatedSerialPort(testbed: testbed, usb: identity, emulator: make())
            emit("\(i.model.name)\t\(port.devnode)\t\(id)")
            return port
        }
    }

    /// Writes a line to stdout unbuffered, so a script reading the pipe sees it at once.
    private func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
