import IonLink

/// Timing and decision parameters of the slow (host) loop.
public struct SequencerSettings: Sendable, Hashable {
    /// Attempts between two cooling periods (set by the re-cool count or the heating budget).
    public var attemptsPerCool: Int64
    /// Doppler cooling time before each burst of attempts.
    public var coolDuration: Duration
    /// Check ion presence by fluorescence every this many bursts.
    public var ionCheckEvery: Int
    /// Exposure of one fluorescence check.
    public var ionCheckExposure: Duration
    /// Counts at or above which an ion is present.
    public var fluorescenceThreshold: Int
    /// Give up loading after this long.
    public var loadTimeout: Duration
    /// Bases cycled through for verification, one per herald.
    public var verificationBases: [PauliBasis]
    /// Retry and back-off after a device fault.
    public var recovery = RecoveryPolicy()

    public init(attemptsPerCool: Int64, coolDuration: Duration, ionCheckEvery: Int, ionCheckExposure: Duration,
                fluorescenceThreshold: Int, loadTimeout: Duration, verificationBases: [PauliBasis] = [.z, .x, .y]) {
        self.attemptsPerCool = attemptsPerCool
        self.coolDuration = coolDuration
        self.ionCheckEvery = ionCheckEvery
        self.ionCheckExposure = ionCheckExposure
        self.fluorescenceThreshold = fluorescenceThreshold
        self.loadTimeout = loadTimeout
        self.verificationBases = verificationBases
    }
}

/// When a run ends: whichever limit is reached first.
public struct StopCondition: Sendable, Hashable {
    public var attempts: Int64?
    public var heralds: Int?
    public var labTime: Duration?

    public init(attempts: Int64? = nil, heralds: Int? = nil, labTime: Duration? = nil) {
        self.attempts = attempts
        self.heralds = heralds
        self.labTime = labTime
    }
}

extension SequencerSettings {
    /// Settings from a lab's configured timing (re-cool count limited by the heating budget).
    public init(timing t: TimingConfig) {
        self.init(attemptsPerCool: Int64(t.effectiveAttemptsPerCool), coolDuration: t.cool,
                  ionCheckEvery: t.ionCheckEveryBursts, ionCheckExposure: t.ionCheckExposure,
                  fluorescenceThreshold: t.fluorescenceThreshold, loadTimeout: t.loadTimeout)
    }
}

/// How the sequencer retries a failed device call: pauses of `firstBackoff`, doubling up to
/// `maxBackoff`, until the call works or `giveUpAfter` of lab time has passed since the first failure.
public struct RecoveryPolicy: Sendable, Hashable {
    public var firstBackoff: Duration
    public var maxBackoff: Duration
    public var giveUpAfter: Duration
    /// Whether each pause is also waited on the wall clock: an instrument (real or emulated) that failed
    /// needs real time to come back (a cable replugged, a unit rebooting), which lab time alone does not give.
    public var waitsOnWallClock: Bool

    public init(firstBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(10), giveUpAfter: Duration = .seconds(900),
                waitsOnWallClock: Bool = false) {
        self.firstBackoff = firstBackoff
        self.maxBackoff = maxBackoff
        self.giveUpAfter = giveUpAfter
        self.waitsOnWallClock = waitsOnWallClock
    }
}
