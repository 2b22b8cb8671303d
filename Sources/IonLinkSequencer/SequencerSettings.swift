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
