import IonLink
import IonLinkDrivers
import IonLinkMocks

/// Every instrument a lab's `devices:` binds, served by its wire-level emulator at the USB identity its
/// port names (`vendor:product:serial`), inside one ``EmulatedWorld``: what `ionlink emulate --lab`
/// serves, and what the whole-lab tests run against. Keep it alive while clients use the ports.
public final class EmulatedLab {
    /// The world whose physics joins the instruments.
    public let world: EmulatedWorld
    /// The serial instruments' virtual ports, by the role they serve.
    public private(set) var serialPorts: [Role: EmulatedSerialPort] = [:]
    /// The USBTMC instruments' virtual devices, by the role they serve.
    public private(set) var usbDevices: [Role: VirtualUSBDevice] = [:]
    /// Each served instrument: its role, model, device node and `vendor:product:serial`, in the lab's order.
    public private(set) var served: [(role: Role, model: String, devnode: String, identity: String)] = []

    /// A lab that cannot be emulated: a binding with no emulator or whose port names no USB identity.
    public struct Unfit: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// - Parameter firstUSBAddress: the virtual USB bus address of the first USBTMC instrument.
    public init(config: LabConfig, seed: UInt64, testbed: VirtualSerialTestbed, catalog: InstrumentCatalog = .standard,
                firstUSBAddress: Int = 10) throws {
        var found: [(DeviceBinding, InstrumentModel, EmulatorRecipe, UInt16, UInt16, String)] = []
        for b in config.devices {
            guard let model = catalog.model(b.model), let recipe = model.emulator else {
                throw Unfit(description: "devices.\(b.role) (line \(b.line)): '\(b.model)' has no emulator")
            }
            guard case let .usb(v, p, serial?)? = SerialPortLocator(b.port) else {
                throw Unfit(description: "devices.\(b.role) (line \(b.line)): port '\(b.port)' must name the adapter as "
                            + "vendor:product:serial (e.g. 0403:6001:PG-1) for the emulator to show that identity")
            }
            found.append((b, model, recipe, v, p, serial))
        }
        if found.isEmpty { throw Unfit(description: "the lab binds no instruments (`devices:`): nothing to emulate") }
        do {
            world = try EmulatedWorld(config: config, seed: seed)
        } catch {
            throw Unfit(description: "\(error)")
        }
        for (b, model, recipe, v, p, serial) in found {
            let identity = String(format: "%04x:%04x", v, p) + ":" + serial
            switch recipe {
            case let .usbtmc(_, _, _, make):
                let emulator = USBTMCDeviceEmulator(vendorID: v, productID: p, manufacturer: "IonLink emulator", product: model.name,
                                                    serialNumber: serial, instrument: make())
                let device = try VirtualUSBDevice(testbed: testbed, address: firstUSBAddress + usbDevices.count, vendorID: v, productID: p,
                                                  serialNumber: serial, emulator: emulator)
                usbDevices[b.role] = device
                served.append((b.role, model.name, device.devnode, identity))
            case let .serial(usb, make):
                let emulator = make()
                world.attach(emulator, serving: b)
                var shown = usb  // the catalog's identity (maker, product, attachment) at the USB identity the lab's port names
                (shown.vendorID, shown.productID, shown.serialNumber) = (v, p, serial)
                let port = try EmulatedSerialPort(testbed: testbed, usb: shown, emulator: emulator)
                serialPorts[b.role] = port
                served.append((b.role, model.name, port.devnode, identity))
            }
        }
    }
}
