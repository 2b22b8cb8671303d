/// What a run's time tagger delivered, as the attempt loop built on it saw it: the syncs (one per
/// attempt), the clicks per channel and the tag-time span they cover, and how long the host took from
/// reading a batch of tags to the herald engine's decision on it.
public struct TaggerStatistics: Sendable, Equatable {
    /// Syncs the herald engine decided on.
    public var syncs: Int64
    /// Attempts handed to the sequencer in bursts, each counted from its sync.
    public var attemptsFromSyncs: Int64
    /// Clicks per tagger channel (the sync channel excluded).
    public var clicks: [Int32: Int64]
    /// Tag time from the first tag to the last, in picoseconds.
    public var spanPicoseconds: Int64
    /// Host decision latency, tag batch read → engine decision: median and 99th percentile (nil before any batch).
    public var decisionLatency: (p50: Duration, p99: Duration)?
    /// The bursts a pulse generator fired, checked against the syncs (nil when no generator fires them).
    public var bursts: FiredBursts?

    /// Bursts fired by the pulse generator, and how the tagger's syncs bore them out.
    public struct FiredBursts: Sendable, Hashable, Codable {
        /// Bursts fired, and the attempts they were armed for.
        public var fired: Int64 = 0, armed: Int64 = 0
        /// Bursts with as many syncs as armed attempts; bursts a herald stop ended at the confirmed herald.
        public var full: Int64 = 0, stoppedAtHerald: Int64 = 0
        /// Bursts that ended early without a herald pattern in the tags (a stop the tags do not confirm:
        /// counted, not a herald).
        public var unconfirmedStops: Int64 = 0
        /// Attempts made after a herald before the burst ended (the herald stop was late, or not enabled).
        public var attemptsAfterHerald: Int64 = 0
        /// Bursts with more syncs than armed attempts.
        public var overruns: Int64 = 0
        /// Bursts whose end the tags never showed (the tagger unplugged mid-burst): not counted.
        public var failed: Int64 = 0
        /// Syncs read away after a generator failed around its trigger (a burst that may have fired).
        public var drainedSyncs: Int64 = 0
        public init() {}
    }

    public init(syncs: Int64, attemptsFromSyncs: Int64, clicks: [Int32: Int64], spanPicoseconds: Int64,
                decisionLatency: (p50: Duration, p99: Duration)?, bursts: FiredBursts? = nil) {
        self.syncs = syncs
        self.attemptsFromSyncs = attemptsFromSyncs
        self.clicks = clicks
        self.spanPicoseconds = spanPicoseconds
        self.decisionLatency = decisionLatency
        self.bursts = bursts
    }

    /// Clicks per second of tag time, per channel (empty before two tags).
    public var rates: [Int32: Double] {
        guard spanPicoseconds > 0 else { return [:] }
        return clicks.mapValues { Double($0) / (Double(spanPicoseconds) * 1e-12) }
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.syncs == b.syncs && a.attemptsFromSyncs == b.attemptsFromSyncs && a.clicks == b.clicks && a.spanPicoseconds == b.spanPicoseconds
            && a.decisionLatency?.p50 == b.decisionLatency?.p50 && a.decisionLatency?.p99 == b.decisionLatency?.p99
            && a.bursts == b.bursts
    }
}

/// An attempt loop that runs on a time tagger's stream and can say what the tagger delivered.
public protocol TaggerStatisticsSource: Sendable {
    /// The tagger's name, as its identity shows it.
    var taggerName: String { get }
    func taggerStatistics() async -> TaggerStatistics
}
