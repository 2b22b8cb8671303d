/// Why a ``TrapController`` operation failed: a broken conversation (``InstrumentFault``) or a ``TrapFault``.
public typealias TrapControllerError = DeviceError<TrapFault>

/// A trap controller's own failures.
public enum TrapFault: DeviceFaultKind {
    case noSuchElectrode(index: Int)
    case voltageOutOfRange(electrode: Int, requested: Voltage, allowed: SetpointLimit<Voltage>)
    case rfOutOfRange(what: String)
    /// Loading did not produce an ion within the allowed time (it may next time).
    case loadingFailed(after: Duration)
    /// An exposure or a loading timeout outside what a trap can be asked for; nothing was done.
    case durationOutOfRange(what: String)
    /// A readout by instruments could not be made (the counter or the qubit drive refused).
    case readoutFailed(what: String)

    public static let domain = "trap"

    public var failure: DeviceFailure { if case .loadingFailed = self { .transient(.loadingFailed) } else { .permanent } }

    public var isOutOfRange: Bool {
        switch self {
        case .noSuchElectrode, .voltageOutOfRange, .rfOutOfRange, .durationOutOfRange: true
        case .loadingFailed, .readoutFailed: false
        }
    }

    public var description: String {
        switch self {
        case let .noSuchElectrode(i): "no electrode \(i)"
        case let .voltageOutOfRange(e, r, a): "electrode \(e) voltage \(r) outside \(a.lower)...\(a.upper); not sent"
        case let .rfOutOfRange(w): "RF \(w) out of range; not sent"
        case let .loadingFailed(t): "no ion loaded after \(t)"
        case let .durationOutOfRange(w): "\(w); not done"
        case let .readoutFailed(w): "readout failed: \(w)"
        }
    }

    public var fields: FaultFields {
        switch self {
        case let .noSuchElectrode(i): FaultFields("noSuchElectrode", number: Int64(i))
        case let .voltageOutOfRange(e, r, a):
            FaultFields("voltageOutOfRange", requested: r.volts, allowed: a.lower.volts...a.upper.volts, number: Int64(e))
        case let .rfOutOfRange(w): FaultFields("rfOutOfRange", reply: w)
        case let .loadingFailed(t): FaultFields("loadingFailed", number: t.inPicoseconds)
        case let .durationOutOfRange(w): FaultFields("durationOutOfRange", reply: w)
        case let .readoutFailed(w): FaultFields("readoutFailed", reply: w)
        }
    }

    public init?(fields f: FaultFields) {
        switch f.name {
        case "noSuchElectrode": self = .noSuchElectrode(index: Int(clamping: f.number))
        case "voltageOutOfRange":
            guard let a = f.allowed else { return nil }
            self = .voltageOutOfRange(electrode: Int(clamping: f.number), requested: .volts(f.requested),
                                      allowed: SetpointLimit(.volts(a.lowerBound), .volts(a.upperBound)))
        case "rfOutOfRange": self = .rfOutOfRange(what: f.reply)
        case "loadingFailed": self = .loadingFailed(after: .picoseconds(f.number))
        case "durationOutOfRange": self = .durationOutOfRange(what: f.reply)
        case "readoutFailed": self = .readoutFailed(what: f.reply)
        default: return nil
        }
    }
}

extension DeviceError where Kind == TrapFault {
    public static func noSuchElectrode(device: String, index: Int) -> Self { Self(device: device, .kind(.noSuchElectrode(index: index))) }
    public static func voltageOutOfRange(device: String, electrode: Int, requested: Voltage, allowed: SetpointLimit<Voltage>) -> Self {
        Self(device: device, .kind(.voltageOutOfRange(electrode: electrode, requested: requested, allowed: allowed)))
    }
    public static func rfOutOfRange(device: String, what: String) -> Self { Self(device: device, .kind(.rfOutOfRange(what: what))) }
    public static func loadingFailed(device: String, after: Duration) -> Self { Self(device: device, .kind(.loadingFailed(after: after))) }
}
