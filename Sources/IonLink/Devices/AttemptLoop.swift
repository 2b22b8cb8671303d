/// A heralding attempt that succeeded: its index in the burst, pattern and the tags that made it.
public struct HeraldEvent: Sendable, Hashable {
    /// 0-based index of the successful attempt within its burst.
    public var attemptIndex: Int64
    public var pattern: HeraldPattern
    /// The tags of the heralding clicks.
    public var tags: [TimeTag]
    /// Time of the successful attempt's sync, picoseconds on the tagger's clock.
    public var syncPicoseconds: Int64
    public init(attemptIndex: Int64, pattern: HeraldPattern, tags: [TimeTag], syncPicoseconds: Int64) {
        self.attemptIndex = attemptIndex
        self.pattern = pattern
        self.tags = tags
        self.syncPicoseconds = syncPicoseconds
    }
}

/// What a burst of attempts did.
public struct BurstResult: Sendable, Hashable {
    /// Attempts made, including the successful one.
    public var attempts: Int64
    /// The herald that ended the burst early, if any.
    public var herald: HeraldEvent?
    /// The tagger overflowed during the burst: its tags were lost, and with them any herald. The
    /// burst's attempts cannot count (a herald among them could not have been seen).
    public var tagsLost: Bool
    public init(attempts: Int64, herald: HeraldEvent?, tagsLost: Bool = false) {
        self.attempts = attempts
        self.herald = herald
        self.tagsLost = tagsLost
    }
}

/// Why an ``AttemptLoop`` failed.
public enum AttemptLoopError: Error, Sendable, Equatable, CustomStringConvertible {
    case notArmed(String)
    case deviceFailure(String)
    /// The loop's source has no more attempts (a recording played to its end): the run ends there.
    case exhausted(String)
    public var description: String {
        switch self {
        case let .notArmed(m): "attempt loop not armed: \(m)"
        case let .deviceFailure(m): "attempt loop device failure: \(m)"
        case let .exhausted(m): "attempt loop exhausted: \(m)"
        }
    }
}

/// The fast loop of pump → excite → detect, repeated until a herald or the burst's end.
///
/// Real labs run it on an FPGA or pulse generator; simulation runs it in virtual time.
public protocol AttemptLoop: Sendable {
    /// Lab time of one attempt.
    var attemptPeriod: Duration { get }
    /// Runs up to `maxAttempts` attempts and stops at the first herald.
    func runBurst(maxAttempts: Int64) async throws(AttemptLoopError) -> BurstResult
}
