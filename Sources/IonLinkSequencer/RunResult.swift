import IonLink

/// Where the lab time of a run went.
public struct TimeBreakdown: Sendable, Hashable {
    public var cooling: Duration = .zero
    public var attempting: Duration = .zero
    public var verifying: Duration = .zero
    public var ionChecks: Duration = .zero
    public var loading: Duration = .zero
    /// Faults: failed calls, back-off pauses, waiting out an interlock, re-biasing a latched detector.
    public var recovering: Duration = .zero
    /// Bursts whose tags the tagger lost (their attempts are not counted).
    public var discarded: Duration = .zero

    public init() {}
    public var total: Duration { cooling + attempting + verifying + ionChecks + loading + recovering + discarded }
    /// Fraction of lab time spent attempting.
    public var dutyCycle: Double { total > .zero ? attempting.inSeconds / total.inSeconds : 0 }
}

/// How often a fault was recovered from and the lab time it cost.
public struct FaultTally: Sendable, Hashable {
    public var count = 0
    public var timeLost: Duration = .zero
    public init(count: Int = 0, timeLost: Duration = .zero) {
        self.count = count
        self.timeLost = timeLost
    }
}

/// What a heralding run did.
public struct RunResult: Sendable, Hashable {
    public var attempts: Int64 = 0
    /// Heralds by pattern, in ``HeraldPattern/all`` order.
    public var heraldsByPattern: [Int] = Array(repeating: 0, count: HeraldPattern.all.count)
    public var time = TimeBreakdown()
    public var verification = VerificationTally()
    public var ionLossesDetected = 0
    public var reloads = 0
    public var latchRecoveries = 0
    /// Heralds reported by the attempt loop whose tags did not fall in their windows (not counted).
    public var rejectedHeralds = 0
    public var bursts = 0
    /// Attempts in bursts whose tags the tagger lost (not in ``attempts``).
    public var discardedAttempts: Int64 = 0
    /// Faults recovered from, by kind, with the lab time each kind cost.
    public var faults: [RecoverableFault: FaultTally] = [:]
    /// The run stopped because its task was cancelled (for example on SIGINT), not at its stop condition.
    public var interrupted = false
    /// Why the run stopped early: a fault it could not recover from (nil when it ran to its end).
    public var failure: String?

    public init() {}

    public var heralds: Int { heraldsByPattern.reduce(0, +) }
    public func heralds(of state: BellState) -> Int {
        zip(HeraldPattern.all, heraldsByPattern).filter { $0.0.state == state }.map(\.1).reduce(0, +)
    }
    /// Heralds per attempt.
    public var successProbability: Double { attempts > 0 ? Double(heralds) / Double(attempts) : 0 }
    /// Heralds per second of lab time.
    public var heraldRate: Double { time.total > .zero ? Double(heralds) / time.total.inSeconds : 0 }
}
