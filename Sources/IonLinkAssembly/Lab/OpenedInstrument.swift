import IonLink

/// An instrument its connector opened for a role, before the lab builder wires it in.
public enum OpenedInstrument: Sendable {
    case laser(any Laser)
    case electrodeSupply(any ElectrodeSupply)
    /// An RF source and the trap's amplitude per square root of source power (`volts_per_sqrt_mw`).
    case rfSource(any RFSource, voltsPerRootMilliwatt: Double)
    case detectors([any PhotonDetector])
    case timeTagger(any TimeTagger)
    case pulseGenerator(any PulseGenerator)
    case temperatureController(any TemperatureController)

    /// The devices opened (several for a detector-bias rack).
    public var devices: [any Device] {
        switch self {
        case let .laser(l): [l]
        case let .electrodeSupply(s): [s]
        case let .rfSource(s, _): [s]
        case let .detectors(d): d
        case let .timeTagger(t): [t]
        case let .pulseGenerator(p): [p]
        case let .temperatureController(t): [t]
        }
    }
}
