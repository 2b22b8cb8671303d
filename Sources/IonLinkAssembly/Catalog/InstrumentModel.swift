import IonLink
import IonLinkDrivers
import IonLinkMocks

/// One instrument model, registered once: its name in the lab YAML, what it serves, the keys it takes,
/// how it is opened, how an unknown port is recognised as it, and its wire-level emulator.
///
/// Adding a model is its driver file (`Drivers/`), its emulator file (`Mocks/`) and one ``InstrumentModel``
/// in ``InstrumentCatalog/standard``.
public struct InstrumentModel: Sendable {
    /// The name the lab YAML's `devices:` section and `ionlink emulate` use (`obis`).
    public var name: String
    /// One line for listings: maker, model, interface.
    public var summary: String
    /// Binding keys the model takes beyond `model`, `port` and its role's own.
    public var options: [String]
    /// Its identification query on an unknown serial port (`ionlink devices`), if it is a serial instrument.
    public var probe: IdentificationProbe?
    /// Its wire-level emulator and the USB identity the emulator shows.
    public var emulator: EmulatorRecipe
    /// Opens the instrument for a role.
    public var connect: Connector

    public init(name: String, summary: String, options: [String] = [], probe: IdentificationProbe?, emulator: EmulatorRecipe,
                connect: Connector) {
        self.name = name
        self.summary = summary
        self.options = options
        self.probe = probe
        self.emulator = emulator
        self.connect = connect
    }

    /// The kind of device it is, and so the roles it may serve.
    public var kind: DeviceKind { connect.kind }
}

/// How a model is opened for a role: one case per device kind, each given what the role's
/// configuration says (setpoint limits come from the lab YAML and are enforced by the driver).
public enum Connector: Sendable {
    /// A laser, limited to the role's `max_power_mw`.
    case laser(@Sendable (InstrumentRequest, LaserConfig) async throws -> any Laser)
    /// A trap's DC electrode supply, limited to the trap's `electrode_limit_v`.
    case electrodeSupply(@Sendable (InstrumentRequest, TrapConfig) async throws -> any ElectrodeSupply)
    /// A trap's RF source, its output power limited to `maxPower` (derived from `max_rf_amplitude_v`).
    case rfSource(@Sendable (InstrumentRequest, _ maxPower: Power) async throws -> any RFSource)
    /// The hub's detectors' bias, one detector per distinct channel of `hub.channels`.
    case detectorBias(@Sendable (InstrumentRequest, HubConfig) async throws -> [any PhotonDetector])
    /// A time tagger.
    case timeTagger(@Sendable (InstrumentRequest) async throws -> any TimeTagger)

    public var kind: DeviceKind {
        switch self {
        case .laser: .laser
        case .electrodeSupply: .electrodeSupply
        case .rfSource: .rfSource
        case .detectorBias: .detectorBias
        case .timeTagger: .timeTagger
        }
    }
}

/// A model's wire-level emulator (written from the instrument's manual, in `Mocks/`).
public enum EmulatorRecipe: Sendable {
    /// A serial instrument on a virtual tty, showing `usb` as its adapter's identity.
    case serial(usb: VirtualUSBIdentity, make: @Sendable () -> any InstrumentEmulator)
    /// A USBTMC instrument on a virtual USB device.
    case usbtmc(vendorID: UInt16, productID: UInt16, serialNumber: String, make: @Sendable () -> any SCPIMessageHandler)

    /// The USB vendor and product the emulated instrument shows.
    public var vendorProduct: (UInt16, UInt16) {
        switch self {
        case let .serial(usb, _): (usb.vendorID, usb.productID)
        case let .usbtmc(v, p, _, _): (v, p)
        }
    }
}
