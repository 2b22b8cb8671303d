import IonLink

/// Where the lab time of a run went.
public struct TimeBreakdown: Sendable, Hashable {
    public var cooling: Duration = .zero
    public var attempting: Duration = .zero
    public var verifying: Duration = .zero
    public var ionChecks: Duration = .zero
    public var loading: Duration = .zero

    public init() {}
    public var total: Duration { cooling + attempting + verifying + ionChecks + loading }
    /// Fraction of lab time spent attempting.
    public var dutyCycle: Double { total > .zero ? attempting.inSeconds / total.inSeconds : 0 }
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
    /// Lab time of each herald since the run began.
    public var heraldTimes: [Duration] = []
    /// The run stopped because its task was cancelled (for example on SIGINT), not at its stop condition.
    public var interrupted = false

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
