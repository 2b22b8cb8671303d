/// One ``TrapController`` operation as a value (see ``DeviceCall``).
public enum TrapCall: DeviceCall, Hashable {
    case setElectrode(Int, Voltage)
    case electrodeVoltage(Int)
    case setRF(RFDrive)
    case rf
    case fluorescenceCounts(exposure: Duration)
    case load(timeout: Duration)
    case measureQubit(PauliBasis)

    /// What a trap call returns.
    public enum Outcome: Sendable, Hashable {
        case done
        case voltage(Voltage)
        case rf(RFDrive)
        case counts(Int)
        case loadTime(Duration)
        case eigenvalue(Int)
    }

    public var command: String {
        switch self {
        case .setElectrode: "setElectrode"
        case .electrodeVoltage: "electrodeVoltage"
        case .setRF: "setRF"
        case .rf: "rf"
        case .fluorescenceCounts: "fluorescenceCounts"
        case .load: "load"
        case .measureQubit: "measureQubit"
        }
    }

    /// Everything but reading a setpoint back changes the trap (imaging and readout scatter light off the ion).
    public var changesDevice: Bool {
        switch self {
        case .electrodeVoltage, .rf: false
        case .setElectrode, .setRF, .fluorescenceCounts, .load, .measureQubit: true
        }
    }

    /// How long the call takes in lab time at most (an exposure, a loading attempt).
    public var lasting: Duration {
        switch self {
        case let .fluorescenceCounts(exposure): exposure
        case let .load(timeout): timeout
        default: .zero
        }
    }

    public func check(against trap: any TrapController) throws(TrapControllerError) {
        switch self {
        case let .setElectrode(i, v):
            guard (0..<trap.electrodeCount).contains(i) else { throw .noSuchElectrode(device: trap.name, index: i) }
            guard trap.electrodeLimit.allows(v) else {
                throw .voltageOutOfRange(device: trap.name, electrode: i, requested: v, allowed: trap.electrodeLimit)
            }
        case let .electrodeVoltage(i):
            guard (0..<trap.electrodeCount).contains(i) else { throw .noSuchElectrode(device: trap.name, index: i) }
        case let .setRF(drive):
            let limit = trap.rfAmplitudeLimit
            guard limit.allows(drive.amplitude) else {
                throw .rfOutOfRange(device: trap.name, what: "amplitude \(drive.amplitude) outside \(limit.lower)...\(limit.upper)")
            }
            guard drive.frequency.isFinite, drive.frequency > .zero else {
                throw .rfOutOfRange(device: trap.name, what: "frequency \(drive.frequency) not positive")
            }
        case let .fluorescenceCounts(exposure):
            guard exposure >= .zero, exposure <= Self.longestExposure else {
                throw TrapControllerError(device: trap.name, .kind(.durationOutOfRange(
                    what: "fluorescence exposure \(exposure) outside 0…\(Self.longestExposure)")))
            }
        case let .load(timeout):
            guard timeout >= .zero, timeout <= Self.longestLoad else {
                let what = "loading timeout \(timeout) outside 0…\(Self.longestLoad)"
                throw TrapControllerError(device: trap.name, .kind(.durationOutOfRange(what: what)))
            }
        case .rf, .measureQubit: return
        }
    }

    /// The longest fluorescence exposure and loading attempt a trap is asked for (the lab YAML's limits:
    /// 1000 s and 10⁶ s), so that lab time cannot be pushed past its picosecond range.
    public static let longestExposure = Duration.seconds(1000), longestLoad = Duration.seconds(1_000_000)

    public func perform(on trap: any TrapController) async throws(TrapControllerError) -> Outcome {
        switch self {
        case let .setElectrode(i, v): try await trap.setElectrode(i, to: v)
        case let .electrodeVoltage(i): return .voltage(try await trap.electrodeVoltage(i))
        case let .setRF(drive): try await trap.setRF(drive)
        case .rf: return .rf(try await trap.rf())
        case let .fluorescenceCounts(exposure): return .counts(try await trap.fluorescenceCounts(exposure: exposure))
        case let .load(timeout): return .loadTime(try await trap.load(timeout: timeout))
        case let .measureQubit(basis): return .eigenvalue(try await trap.measureQubit(in: basis))
        }
        return .done
    }
}
