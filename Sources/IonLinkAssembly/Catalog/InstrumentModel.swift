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
    /// Its wire-level emulator and the USB identity the emulator shows (nil for a source that is no
    /// instrument on a wire, such as a recording played back).
    public var emulator: EmulatorRecipe?
    /// Opens the instrument for a role.
    public var connect: Connector
    /// Options of a working binding to its emulator (those the model cannot do without, or that make it quick).
    public var example: [String: String]
    /// Operations of the model beyond its kind's protocol; the reply fuzzer makes each of them too.
    public var extraCalls: [ModelCall]
    /// Whether it plays back a recording (its attempts and photons come with it) rather than seeing the lab live.
    public var isRecording: Bool
    /// A tagger's input channels (the lab's detector and sync channels must be among them), if fixed.
    public var taggerInputs: ClosedRange<Int32>?
    /// The gates a tagger can count singles over, if it can serve a node's readout.
    public var countingGate: CountingGate?
    /// Whether `ionlink devices` asks for it before the other models: an instrument that answers parts of
    /// other models' queries (a SynthHD reads `gsn?` as `g`, `s`, then the query `n?`, and answers `0`, which
    /// a Cobolt probe would take for a serial number) is asked first with its own query, ended by CR LF so
    /// that a line-based instrument refuses it whole instead of carrying it into the next probe's command.
    public var probesFirst = false

    public init(name: String, summary: String, options: [String] = [], example: [String: String] = [:], probe: IdentificationProbe?,
                emulator: EmulatorRecipe?, connect: Connector, extraCalls: [ModelCall] = [], isRecording: Bool = false,
                taggerInputs: ClosedRange<Int32>? = nil, countingGate: CountingGate? = nil) {
        self.name = name
        self.summary = summary
        self.options = options
        self.example = example
        self.probe = probe
        self.emulator = emulator
        self.connect = connect
        self.extraCalls = extraCalls
        self.isRecording = isRecording
        self.taggerInputs = taggerInputs
        self.countingGate = countingGate
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
    /// The hub's time tagger, its sync on the hub's `sync_channel`; or a node's photon counter (a
    /// ``PhotonCounter`` counting singles over the trap's readout duration).
    case timeTagger(@Sendable (InstrumentRequest, TaggerUse) async throws -> any TimeTagger)
    /// The hub's pulse generator, gating pump, excitation and detection for the lab's attempts.
    case pulseGenerator(@Sendable (InstrumentRequest, LabConfig) async throws -> any PulseGenerator)
    /// A node's converter crystal oven, its setpoints limited by the stage's `oven` (`max_setpoint_c`).
    case temperatureController(@Sendable (InstrumentRequest, CrystalOvenConfig) async throws -> any TemperatureController)

    public var kind: DeviceKind {
        switch self {
        case .laser: .laser
        case .electrodeSupply: .electrodeSupply
        case .rfSource: .rfSource
        case .detectorBias: .detectorBias
        case .timeTagger: .timeTagger
        case .pulseGenerator: .pulseGenerator
        case .temperatureController: .temperatureController
        }
    }
}

/// What a time tagger is opened for.
public enum TaggerUse: Sendable {
    /// The hub's tagger: syncs and clicks, its sync on the hub's `sync_channel`.
    case hub(HubConfig)
    /// A node's fluorescence counter: singles counted over `gate`.
    case counter(gate: Duration)
}

/// The gates a counter takes: whole multiples of `step`, `steps` of them at most and least.
public struct CountingGate: Sendable, Hashable {
    public var step: Duration
    public var steps: ClosedRange<Int>

    public init(step: Duration, steps: ClosedRange<Int>) {
        self.step = step
        self.steps = steps
    }

    /// Whether a gate of `duration` can be counted.
    public func allows(_ duration: Duration) -> Bool {
        let ratio = duration.inPicoseconds, unit = step.inPicoseconds
        return unit > 0 && ratio % unit == 0 && steps.contains(Int(ratio / unit))
    }
}

/// A model's wire-level emulator (written from the instrument's manual, in `Mocks/`).
public enum EmulatorRecipe: Sendable {
    /// A serial instrument on a virtual tty, showing `usb` as its adapter's identity.
    case serial(usb: VirtualUSBIdentity, make: @Sendable () -> any InstrumentEmulator)
    /// A USBTMC instrument on a virtual USB device.
    case usbtmc(vendorID: UInt16, productID: UInt16, serialNumber: String, make: @Sendable () -> any SCPIMessageHandler)

    /// Whether the instrument speaks SCPI messages over USBTMC rather than lines over a serial port.
    public var isMessageBased: Bool { if case .usbtmc = self { true } else { false } }
}

/// One operation a model has beyond its kind's protocol (a Cobolt's `cf`, a TEC's temperature), made on
/// the device its connector opened.
public struct ModelCall: Sendable {
    public var name: String
    public var perform: @Sendable (any Device) async throws -> Void

    /// An operation on the model's driver type `D`; on any other device it fails.
    public init<D: Device>(_ name: String, on _: D.Type, _ body: @escaping @Sendable (D) async throws -> Void) {
        self.name = name
        perform = { device in
            guard let d = device as? D else { throw ModelCallError(call: name, device: device.name) }
            try await body(d)
        }
    }
}

/// A ``ModelCall`` made on a device of another model.
public struct ModelCallError: Error, Sendable {
    public var call: String
    public var device: String
}

extension InstrumentModel {
    /// The same model, its identification probe asked before the others' (``probesFirst``).
    var probedFirst: InstrumentModel {
        var m = self
        m.probesFirst = true
        return m
    }
}
