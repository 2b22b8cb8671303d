import IonLink

/// The attempt loop as a time tagger sees it: every sync on the tagger is one attempt, and the herald
/// engine, fed the tagger's stream as it arrives, decides which attempt heralded and with which pattern.
/// A burst asks for up to N attempts and ends at the first herald or after N decided attempts; heralds
/// the engine finds past a burst's end wait for the next burst, so none is lost or counted twice. Lab
/// time advances by the attempts' period.
///
/// The time from reading a batch of tags to the engine's decision on it is kept (``decisionLatency``),
/// as is what the tagger delivered (``syncs``, ``clicks``).
public actor TaggedAttemptLoop: AttemptLoop, TaggerStatisticsSource {
    public nonisolated let attemptPeriod: Duration
    let tagger: any TimeTagger
    let clock: any LabClock
    let wall: ContinuousClock
    let onHerald: @Sendable (HeraldEvent) -> Void
    private var engine: HeraldEngine
    private var stream: AsyncStream<TagBatch>.AsyncIterator?
    private var ended = false
    /// Heralds found and not yet handed out, with their tags.
    private var found: [(herald: EngineHerald, tags: [TimeTag])] = []
    /// Attempts handed out in bursts so far.
    private var consumed: Int64 = 0
    /// Tags from the latest sync decided on, for a herald's clicks.
    private var recent: [TimeTag] = []
    private var latencies: [Duration] = []
    /// Tag time of the first and the latest tag read.
    private var firstTag: Int64?, lastTag: Int64?

    /// - Parameters:
    ///   - layout: where each slot's window lies after the sync, on the tagger's channels.
    ///   - onHerald: told of each herald as a burst returns it (a simulation prepares the ions' state).
    public init(tagger: any TimeTagger, layout: SlotLayout, attemptPeriod: Duration, clock: any LabClock,
                wall: ContinuousClock = ContinuousClock(), onHerald: @escaping @Sendable (HeraldEvent) -> Void = { _ in }) {
        self.tagger = tagger
        self.attemptPeriod = attemptPeriod
        self.clock = clock
        self.wall = wall
        self.onHerald = onHerald
        engine = layout.heraldEngine(syncChannel: tagger.syncChannel ?? SlotLayout.attemptSyncChannel)
    }

    public nonisolated var taggerName: String { tagger.name }

    public func taggerStatistics() -> TaggerStatistics {
        let sync = engine.syncChannel
        var clicks: [Int32: Int64] = [:]
        for (channel, n) in engine.clicks.enumerated() where Int32(channel) != sync && n > 0 { clicks[Int32(channel)] = n }
        return TaggerStatistics(syncs: engine.syncs, attemptsFromSyncs: consumed, clicks: clicks,
                                spanPicoseconds: (lastTag ?? 0) - (firstTag ?? 0), decisionLatency: decisionLatency)
    }

    /// Syncs the tagger delivered (attempts seen), and clicks per channel.
    public var syncs: Int64 { engine.syncs }
    public var clicks: [Int64] { engine.clicks }

    /// Host decision latency, tag batch read → engine decision: median and 99th percentile.
    public var decisionLatency: (p50: Duration, p99: Duration)? {
        guard !latencies.isEmpty else { return nil }
        let sorted = latencies.sorted()
        return (sorted[(sorted.count - 1) / 2], sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
    }

    public func runBurst(maxAttempts: Int64) async throws(AttemptLoopError) -> BurstResult {
        guard maxAttempts > 0 else { return BurstResult(attempts: 0, herald: nil) }
        if stream == nil {
            do { stream = try await tagger.startStreaming().makeAsyncIterator() } catch {
                throw .notArmed("\(tagger.name): \(error)")
            }
        }
        let end = consumed + maxAttempts
        while true {
            if let first = found.first, first.herald.syncIndex < end {
                found.removeFirst()
                let attempts = first.herald.syncIndex - consumed + 1
                return await finish(attempts, herald: first)
            }
            // Every attempt of the burst decided (its next sync seen, or the stream over) and none heralded.
            if engine.syncs - (ended ? 0 : 1) >= end { return await finish(maxAttempts, herald: nil) }
            if ended {
                let left = engine.syncs - consumed
                guard left > 0 else { throw .exhausted("\(tagger.name): the tag stream ended after \(consumed) attempts") }
                return await finish(left, herald: nil)
            }
            var iterator = stream
            let next = await iterator?.next(isolation: #isolation)
            stream = iterator
            guard let batch = next else {
                ended = true
                keep(engine.flush())
                continue
            }
            let read = wall.now
            if firstTag == nil { firstTag = batch.tags.first?.picoseconds }
            if let last = batch.tags.last?.picoseconds { lastTag = last }
            recent += batch.tags
            keep(engine.process(batch.tags))
            latencies.append(wall.now - read)
            if latencies.count > 100_000 { latencies.removeFirst(50_000) }
        }
    }

    /// Takes each herald with its period's clicks (the tags after its sync, before the next sync), then
    /// keeps only the tags from the latest sync on.
    /// `recent` is in time order: each herald's period is found by bisection and read to its next sync,
    /// so the cost is the heralds' periods, not heralds × buffered tags.
    private func keep(_ heralds: [EngineHerald]) {
        let sync = engine.syncChannel
        for h in heralds {
            var lo = 0, hi = recent.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if recent[mid].picoseconds < h.syncPicoseconds { lo = mid + 1 } else { hi = mid }
            }
            var clicks: [TimeTag] = []
            for t in recent[lo...] {
                if t.channel == sync {
                    if t.picoseconds > h.syncPicoseconds { break }
                    continue
                }
                clicks.append(t)
            }
            found.append((h, clicks))
        }
        if let last = recent.lastIndex(where: { $0.channel == sync }) { recent.removeFirst(last) }
    }

    private func finish(_ attempts: Int64, herald h: (herald: EngineHerald, tags: [TimeTag])?) async -> BurstResult {
        consumed += attempts
        await clock.spend(attemptPeriod * Int(attempts))
        guard let h, let pattern = HeraldPattern.all.indices.contains(h.herald.pattern) ? HeraldPattern.all[h.herald.pattern] : nil else {
            return BurstResult(attempts: attempts, herald: nil)
        }
        let event = HeraldEvent(attemptIndex: attempts - 1, pattern: pattern, tags: h.tags, syncPicoseconds: h.herald.syncPicoseconds)
        onHerald(event)
        return BurstResult(attempts: attempts, herald: event)
    }
}
