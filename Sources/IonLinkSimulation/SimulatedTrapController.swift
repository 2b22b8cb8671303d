import IonLink
import IonLinkPhysics
import Logging

/// Imaging and readout figures of a simulated trap.
public struct TrapImaging: Sendable, Hashable {
    /// Fluorescence count rate of one Doppler-cooled ion on the imaging detector.
    public var ionCountRate: Frequency
    /// Background count rate (scatter, dark counts).
    public var backgroundRate: Frequency
    /// Probability that a state readout reports the right eigenvalue.
    public var readoutFidelity: Probability
    /// Time a qubit rotation plus state detection takes.
    public var readoutDuration: Duration
    /// Mean time to trap an ion by oven + photoionisation (exponentially distributed).
    public var meanLoadTime: Duration

    public init(ionCountRate: Frequency, backgroundRate: Frequency, readoutFidelity: Probability,
                readoutDuration: Duration, meanLoadTime: Duration) {
        self.ionCountRate = ionCountRate
        self.backgroundRate = backgroundRate
        self.readoutFidelity = readoutFidelity
        self.readoutDuration = readoutDuration
        self.meanLoadTime = meanLoadTime
    }
}

/// A simulated Paul trap holding (or having lost) one ion of the shared world.
public actor SimulatedTrapController: TrapController {
    public nonisolated let name: String
    public nonisolated let electrodeCount: Int
    public nonisolated let electrodeLimit: SetpointLimit<Voltage>
    public nonisolated let rfAmplitudeLimit: SetpointLimit<Voltage>
    public nonisolated let capabilities: Set<DeviceCapability> = [.dcElectrodes, .rfDrive, .fluorescenceCounting, .loading, .qubitReadout]
    private let world: SimulatedWorld
    private let node: Int
    private let imaging: TrapImaging
    private var electrodes: [Voltage]
    private var drive: RFDrive
    private let logger: Logger

    public init(name: String, node: Int, world: SimulatedWorld, electrodeCount: Int, electrodeLimit: SetpointLimit<Voltage>,
                rf: RFDrive, rfAmplitudeLimit: SetpointLimit<Voltage>, imaging: TrapImaging, logger: Logger) {
        self.name = name
        self.node = node
        self.world = world
        self.electrodeCount = electrodeCount
        self.electrodeLimit = electrodeLimit
        self.rfAmplitudeLimit = rfAmplitudeLimit
        electrodes = Array(repeating: .zero, count: electrodeCount)
        drive = rf
        self.imaging = imaging
        self.logger = logger.forDevice(name)
    }

    public func identify() async throws -> DeviceIdentity {
        DeviceIdentity(vendor: "IonLink", model: "SimulatedTrap", serialNumber: name, firmware: "sim")
    }

    public func setElectrode(_ index: Int, to voltage: Voltage) async throws(TrapControllerError) {
        guard electrodes.indices.contains(index) else { throw .noSuchElectrode(device: name, index: index) }
        guard electrodeLimit.allows(voltage) else {
            throw .voltageOutOfRange(device: name, electrode: index, requested: voltage, allowed: electrodeLimit)
        }
        electrodes[index] = voltage
    }

    public func electrodeVoltage(_ index: Int) async throws(TrapControllerError) -> Voltage {
        guard electrodes.indices.contains(index) else { throw .noSuchElectrode(device: name, index: index) }
        return electrodes[index]
    }

    public func setRF(_ drive: RFDrive) async throws(TrapControllerError) {
        guard drive.frequency.hertz > 0, drive.frequency.isFinite else { throw .rfOutOfRange(device: name, what: "frequency") }
        guard rfAmplitudeLimit.allows(drive.amplitude) else {
            throw .rfOutOfRange(device: name, what: "amplitude \(drive.amplitude) outside \(rfAmplitudeLimit.lower)...\(rfAmplitudeLimit.upper)")
        }
        self.drive = drive
    }

    public func rf() async throws(TrapControllerError) -> RFDrive { drive }

    /// Poisson counts with mean (ion rate · [ion present and cooling light on] + background) · exposure.
    public func fluorescenceCounts(exposure: Duration) async throws(TrapControllerError) -> Int {
        let t = exposure.inSeconds
        let node = node, imaging = imaging
        let counts = world.withState { s -> Int in
            let bright = s.ionPresent[node] && s.coolingOn[node]
            let mean = ((bright ? imaging.ionCountRate.hertz : 0) + imaging.backgroundRate.hertz) * t
            return s.rng.poisson(mean: mean)
        }
        world.clock.advance(by: exposure)
        logger.trace("fluorescence", metadata: ["command": "fluorescenceCounts", "counts": "\(counts)"])
        return counts
    }

    /// The ion leaves the trap (a background-gas collision).
    public func loseIon() {
        let node = node
        world.withState { s in
            guard s.ionPresent[node] else { return }
            s.ionPresent[node] = false
            s.losses[node] += 1
        }
        logger.warning("ion lost", metadata: ["command": "loseIon"])
    }

    /// Loading succeeds after an Exp(mean load time) wait, or fails at `timeout`.
    public func load(timeout: Duration) async throws(TrapControllerError) -> Duration {
        let node = node, mean = imaging.meanLoadTime.inSeconds
        let wait = world.withState { s in s.rng.exponential(mean: mean) }
        logger.info("loading", metadata: ["command": "load"])
        if wait > timeout.inSeconds {
            world.clock.advance(by: timeout)
            throw .loadingFailed(device: name, after: timeout)
        }
        let took = Duration.secondsDouble(wait)
        world.clock.advance(by: took)
        world.withState { s in s.ionPresent[node] = true }
        return took
    }

    /// Samples this ion's eigenvalue from the shared two-ion state, collapsing it (Born rule and
    /// projection), then flips it with probability 1 − readout fidelity.
    public func measureQubit(in basis: PauliBasis) async throws(TrapControllerError) -> Int {
        let node = node, fidelity = imaging.readoutFidelity.value
        let value = world.withState { s -> Int in
            let pair = s.ionPairState ?? DensityMatrix4.maximallyMixed
            let plus = pair.projected(qubit: node, basis: basis, outcome: 0)
            let pPlus = plus.trace / pair.trace
            let outcome = s.rng.nextUnit() < pPlus ? 0 : 1
            s.ionPairState = (outcome == 0 ? plus : pair.projected(qubit: node, basis: basis, outcome: 1)).normalized
            var eigen = outcome == 0 ? 1 : -1
            if !s.rng.bernoulli(fidelity) { eigen = -eigen }
            return eigen
        }
        world.clock.advance(by: imaging.readoutDuration)
        return value
    }
}
