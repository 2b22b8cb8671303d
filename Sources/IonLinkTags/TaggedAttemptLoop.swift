import IonLink

/// The attempt loop as a time tagger sees it: every sync on the tagger is one attempt, and the herald
/// engine, fed the tagger's stream as it arrives, decides which attempt heralded and with which pattern.
/// A burst asks for up to N attempts and ends at the first herald or after N decided attempts; heralds
/// the engine finds past a burst's end wait for the next burst, so none is lost or counted twice. Lab
/// time advances by the attempts' period.
///
/// The time from reading a batch of tags to the engine's decision on it is kept (``decisionLatency``),
/// as is what the tagger delivered (``syncs``, ``clicks``).
///
/// With a pulse generator (``BurstFiring``) the loop makes the attempts itself: each burst is fired on
/// the generator with its herald stop enabled. The burst is over when all its armed attempts' syncs
/// have come and one more batch after them (so the last attempt's clicks are in); or, when a herald
/// stop ended it early, once two of the tagger's acquisitions (``TagBatch/acquisitions``, each far
/// longer than an attempt) have passed without a sync — so a reply delayed on its way cannot cut the
/// burst short. A tagger that does not mark its acquisitions falls back on several batches and some
/// wall time without a sync. Its attempts are its syncs, checked against the armed count; a
/// burst that ended early with no herald pattern in its tags is counted
/// (``TaggerStatistics/FiredBursts``), not taken for a herald.
public actor TaggedAttemptLoop: AttemptLoop, TaggerStatisticsSource {
    public nonisolated let attemptPeriod: Duration
    let tagger: any TimeTagger
    let clock: any LabClock
    let wall: ContinuousClock
    let onHerald: @Sendable (HeraldEvent) -> Void
    let generator: (any BurstFiring)?
    private var heraldStopEnabled = false
    let layout: SlotLayout
    /// What engines before the current one counted (a failed burst starts the stream and engine afresh).
    private var retiredSyncs: Int64 = 0
    private var retiredClicks: [Int64] = []
    /// A burst may have fired without its end being seen: its tags are read away before the next.
    private var needsDrain = false
    /// The tagger marks its acquisitions (``TagBatch/acquisitions``).
    private var marksAcquisitions = false
    private var fired = TaggerStatistics.FiredBursts()
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
    ///   - generator: fires the bursts (nil: the tagger's syncs come from elsewhere, e.g. a recording).
    ///   - onHerald: told of each herald as a burst returns it (a simulation prepares the ions' state).
    public init(tagger: any TimeTagger, layout: SlotLayout, attemptPeriod: Duration, clock: any LabClock,
                generator: (any BurstFiring)? = nil,
                wall: ContinuousClock = ContinuousClock(), onHerald: @escaping @Sendable (HeraldEvent) -> Void = { _ in }) {
        self.tagger = tagger
        self.attemptPeriod = attemptPeriod
        self.clock = clock
        self.generator = generator
        self.wall = wall
        self.onHerald = onHerald
        self.layout = layout
        engine = Self.engine(layout, tagger)
    }

    /// The herald engine for `layout` on `tagger`'s sync channel and time bin.
    static func engine(_ layout: SlotLayout, _ tagger: any TimeTagger) -> HeraldEngine {
        layout.heraldEngine(syncChannel: tagger.syncChannel ?? SlotLayout.attemptSyncChannel, resolution: tagger.resolution)
    }

    public nonisolated var taggerName: String { tagger.name }

    public func taggerStatistics() -> TaggerStatistics {
        let sync = engine.syncChannel
        var clicks: [Int32: Int64] = [:]
        for (channel, n) in self.clicks.enumerated() where Int32(channel) != sync && n > 0 { clicks[Int32(channel)] = n }
        return TaggerStatistics(syncs: syncs, attemptsFromSyncs: consumed, clicks: clicks,
                                spanPicoseconds: (lastTag ?? 0) - (firstTag ?? 0), decisionLatency: decisionLatency,
                                bursts: generator == nil ? nil : fired)
    }

    /// Syncs the tagger delivered (attempts seen), and clicks per channel.
    public var syncs: Int64 { retiredSyncs + engine.syncs }
    public var clicks: [Int64] {
        let now = engine.clicks
        func at(_ a: [Int64], _ i: Int) -> Int64 { a.indices.contains(i) ? a[i] : 0 }
        return (0..<max(now.count, retiredClicks.count)).map { at(now, $0) + at(retiredClicks, $0) }
    }

    /// Host decision latency, tag batch read → engine decision: median and 99th percentile.
    public var decisionLatency: (p50: Duration, p99: Duration)? {
        guard !latencies.isEmpty else { return nil }
        let sorted = latencies.sorted()
        return (sorted[(sorted.count - 1) / 2], sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
    }

    public func runBurst(maxAttempts: Int64) async throws(AttemptLoopError) -> BurstResult {
        guard maxAttempts > 0 else { return BurstResult(attempts: 0, herald: nil) }
        try await startStream()
        if let generator { return try await fire(generator, maxAttempts: maxAttempts) }
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
            if try await readBatch() == nil {
                ended = true
                keep(engine.flush())
            }
        }
    }

    /// Starts the tagger's stream if it is not running.
    private func startStream() async throws(AttemptLoopError) {
        guard stream == nil else { return }
        do { stream = try await tagger.startStreaming().makeAsyncIterator() } catch {
            // A tagger off the bus (unplugged, not answering) may come back: retried like any device.
            if case .transient = error.failure { throw .deviceFailure("\(tagger.name): \(error)") }
            throw .notArmed("\(tagger.name): \(error)")
        }
    }

    /// Stops the tagger's stream; the next burst starts it again.
    private func stopStream() async {
        await tagger.stopStreaming()
        stream = nil
    }

    /// Reads one batch of tags into the engine; the acquisitions it completes, or nil at the end of the stream.
    private func readBatch() async throws(AttemptLoopError) -> Int? {
        var iterator = stream
        let next = await iterator?.next(isolation: #isolation)
        stream = iterator
        guard let batch = next else { return nil }
        let read = wall.now
        if firstTag == nil { firstTag = batch.tags.first?.picoseconds }
        if let last = batch.tags.last?.picoseconds { lastTag = last }
        recent += batch.tags
        keep(engine.process(batch.tags))
        latencies.append(wall.now - read)
        if latencies.count > 100_000 { latencies.removeFirst(50_000) }
        return batch.acquisitions
    }

    /// Batches without a sync, and the wall time since the last sync, after which a burst with fewer
    /// syncs than armed attempts is taken to have been stopped.
    static let quietBatchesToEnd = 3
    static let quietTimeToEnd = Duration.milliseconds(50)

    /// Fires a burst on the generator and reads tags until it is over; its attempts are its syncs.
    private func fire(_ generator: any BurstFiring, maxAttempts: Int64) async throws(AttemptLoopError) -> BurstResult {
        guard maxAttempts <= Int64(Int32.max) else { throw .notArmed("burst of \(maxAttempts) attempts is past any generator's count") }
        if needsDrain {
            try await startStream()
            try await drain()
        }
        do {
            if !heraldStopEnabled {
                try await generator.enableHeraldStop(true)
                heraldStopEnabled = true
            }
            try await generator.fireBurst(count: Int(maxAttempts))
        } catch {
            // The burst may have fired (the trigger sent, the error check lost): read it away first next time.
            needsDrain = true
            throw .deviceFailure("\(generator.name): \(error)")
        }
        fired.fired += 1
        fired.armed += maxAttempts
        let first = engine.syncs
        // Generous: the burst's own length, plus a few acquisitions and serial latencies.
        let deadline = wall.now + .seconds(5) + attemptPeriod * Int(maxAttempts)
        var quietBatches = 0, quietAcquisitions = 0, lastSync = wall.now
        while true {
            let before = engine.syncs
            guard let acquisitions = try await readBatch() else {
                await restart()
                throw .deviceFailure("\(tagger.name): the tag stream ended during a burst; its attempts are not counted")
            }
            if acquisitions > 0 { marksAcquisitions = true }
            if engine.syncs > before {
                (quietBatches, quietAcquisitions, lastSync) = (0, 0, wall.now)
                continue
            }
            quietBatches += 1
            quietAcquisitions += acquisitions
            let seen = engine.syncs - first
            // Every armed attempt made, and a batch since the last one's sync.
            if seen >= maxAttempts { break }
            // Ended early (a herald stop): tagger time without a sync, or (unmarked) batches and wall time.
            if seen > 0 && marksAcquisitions && quietAcquisitions >= 2 { break }
            if seen > 0 && !marksAcquisitions && quietBatches >= Self.quietBatchesToEnd && wall.now - lastSync >= Self.quietTimeToEnd {
                break
            }
            if wall.now > deadline {
                await restart()
                throw .deviceFailure("\(tagger.name): the burst of \(maxAttempts) attempts on \(generator.name) did not end "
                                     + "(\(engine.syncs - first) syncs seen); is the generator's sync output on input \(engine.syncChannel)?")
            }
        }
        keep(engine.close())
        let made = engine.syncs - first
        let herald = found.first { $0.herald.syncIndex >= first }
        found.removeAll()
        if made > maxAttempts { fired.overruns += 1 }
        if let h = herald {
            fired.stoppedAtHerald += 1
            fired.attemptsAfterHerald += made - (h.herald.syncIndex - first + 1)
        } else if made < maxAttempts {
            fired.unconfirmedStops += 1
        } else {
            fired.full += 1
        }
        // The herald's index in the burst is its sync's; the burst's attempts are all it made.
        return await finish(made, herald: herald, index: herald.map { $0.herald.syncIndex - first })
    }

    /// After a burst whose end was not seen: the stream is started afresh by the next burst (a replugged
    /// tagger starts its clock again), with a fresh engine; what the old one counted is kept.
    private func restart() async {
        fired.failed += 1
        await stopStream()
        retire()
        // What is left of the cut burst may still arrive on the new stream.
        needsDrain = true
    }

    private func retire() {
        let c = clicks
        retiredSyncs += engine.syncs
        retiredClicks = c
        engine = Self.engine(layout, tagger)
        recent = []
        found = []
    }

    /// Reads away the tags of a burst that may have fired unseen (its generator failed after the
    /// trigger): until two acquisitions, or half a second, pass without a sync.
    private func drain() async throws(AttemptLoopError) {
        let start = wall.now, before = engine.syncs
        var quiet = 0
        while wall.now - start < .milliseconds(500) || (marksAcquisitions && quiet < 2) {
            let syncs = engine.syncs
            guard let n = try await readBatch() else {
                await stopStream()
                break
            }
            quiet = engine.syncs > syncs ? 0 : quiet + n
            if marksAcquisitions && quiet >= 2 { break }
            if wall.now - start > .seconds(5) { break }
        }
        fired.drainedSyncs += engine.syncs - before
        retire()
        needsDrain = false
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

    private func finish(_ attempts: Int64, herald h: (herald: EngineHerald, tags: [TimeTag])?, index: Int64? = nil) async -> BurstResult {
        consumed += attempts
        await clock.spend(attemptPeriod * Int(attempts))
        guard let h, let pattern = HeraldPattern.all.indices.contains(h.herald.pattern) ? HeraldPattern.all[h.herald.pattern] : nil else {
            return BurstResult(attempts: attempts, herald: nil)
        }
        let event = HeraldEvent(attemptIndex: index ?? attempts - 1, pattern: pattern, tags: h.tags, syncPicoseconds: h.herald.syncPicoseconds)
        onHerald(event)
        return BurstResult(attempts: attempts, herald: event)
    }
}
