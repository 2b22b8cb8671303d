import Foundation
import IonLink
import IonLinkPhysics

/// The attempt loop in virtual time, with event skipping: instead of drawing every attempt it draws
/// the number of failed attempts before the next event (a herald or an ion loss) from the geometric
/// distribution, so the cost grows with events, not attempts.
///
/// Each herald picks its pattern in proportion to the exact pattern probabilities of
/// ``HeraldModel``, leaves the exact heralded state for the traps' readout, and delivers its two
/// clicks' tags to the tagger.
public final class SimulatedAttemptLoop: AttemptLoop {
    public let attemptPeriod: Duration
    private let world: SimulatedWorld
    private let tagger: SimulatedTimeTagger?
    private let layout: SlotLayout
    private let periodPs: Int64
    /// Expected arrival of each slot's photon after the sync, picoseconds.
    private let slotArrivalPs: [Int64]
    /// The window relative to the expected arrival, and the wavepacket and jitter, in seconds.
    private let windowFrom: Double, windowTo: Double, tauSeconds: Double, sigmaSeconds: Double
    /// Compiled models indexed by (A emits ? 1 : 0) + (B emits ? 2 : 0).
    private let compiled: [Compiled]
    /// ln(1 − p_loss) per node per attempt.
    private let logKeep: [Double]

    struct Compiled: Sendable {
        var probabilities: [Double]
        var states: [DensityMatrix4]
    }

    /// - Parameters:
    ///   - budget: the link; its models for every combination of emitting nodes are compiled once.
    ///   - lossProbability: per-attempt ion loss probability of node A and B (including background
    ///     collisions spread over the attempt's share of lab time).
    public convenience init(budget: LinkBudget, attemptPeriod: Duration, lossProbability: [Probability], world: SimulatedWorld,
                            tagger: SimulatedTimeTagger?, layout: SlotLayout, lifetime: Duration, jitter: Duration) {
        self.init(models: budget.modelsByEmittingNodes,
                  attemptPeriod: attemptPeriod, lossProbability: lossProbability, world: world, tagger: tagger,
                  layout: layout, lifetime: lifetime, jitter: jitter)
    }

    /// - Parameter models: the herald model when neither, A only, B only and both nodes emit
    ///   (index = (A emits ? 1 : 0) + (B emits ? 2 : 0)).
    public init(models: [HeraldModel], attemptPeriod: Duration, lossProbability: [Probability], world: SimulatedWorld,
                tagger: SimulatedTimeTagger?, layout: SlotLayout, lifetime: Duration, jitter: Duration) {
        precondition(models.count == 4 && lossProbability.count == 2)
        self.attemptPeriod = attemptPeriod
        self.world = world
        self.tagger = tagger
        self.layout = layout
        periodPs = attemptPeriod.inPicoseconds
        slotArrivalPs = (0..<4).map { (layout.photonDelay + layout.slotDelay[$0]).inPicoseconds }
        windowFrom = layout.windowStart.inSeconds
        windowTo = (layout.windowStart + layout.windowLength).inSeconds
        tauSeconds = lifetime.inSeconds
        sigmaSeconds = jitter.inSeconds
        compiled = models.map { m in Compiled(probabilities: m.patternProbabilities, states: (0..<4).map(m.state(for:))) }
        logKeep = lossProbability.map { log1p(-$0.value) }
    }

    public func runBurst(maxAttempts: Int64) async throws(AttemptLoopError) -> BurstResult {
        try await run(maxAttempts: maxAttempts, skipping: true)
    }

    /// The same burst drawn attempt by attempt (one uniform per attempt for the herald and one per
    /// present ion for its loss): the brute-force reference that event skipping must agree with, and
    /// the benchmark's peer. Its cost grows with attempts.
    public func runBurstWithoutSkipping(maxAttempts: Int64) async throws(AttemptLoopError) -> BurstResult {
        try await run(maxAttempts: maxAttempts, skipping: false)
    }

    /// One burst drawn at once, from the world's clock on (which it advances by the attempts made): the
    /// attempts up to and including the first herald, or all `maxAttempts`. Nothing is delivered to a
    /// tagger; an emulated world turns the result into its instruments' output.
    public func drawBurst(maxAttempts: Int64) -> BurstResult {
        draw(maxAttempts: maxAttempts, skipping: true)
    }

    private func draw(maxAttempts: Int64, skipping: Bool) -> BurstResult {
        let startPs = world.clock.nowPicoseconds
        // A burst ends while the lab clock and its tags still fit in Int64 picoseconds (half its range, ≈53 days,
        // leaves room for the clicks after the last sync): a larger count asked for is cut there, not overflowed.
        let fits = periodPs > 0 ? max(0, Int64.max / 2 - max(startPs, 0)) / periodPs : Int64.max
        let maxAttempts = min(maxAttempts, fits)
        guard maxAttempts > 0 else { return BurstResult(attempts: 0, herald: nil) }
        let outcome = world.withState { s in
            skipping ? burst(&s, maxAttempts: maxAttempts, startPs: startPs)
                     : burstPerAttempt(&s, maxAttempts: maxAttempts, startPs: startPs)
        }
        world.clock.advance(picoseconds: outcome.attempts * periodPs)
        return outcome
    }

    private func run(maxAttempts: Int64, skipping: Bool) async throws(AttemptLoopError) -> BurstResult {
        guard maxAttempts > 0 else { return BurstResult(attempts: 0, herald: nil) }
        let outcome = draw(maxAttempts: maxAttempts, skipping: skipping)
        if let tagger, tagger.isOverflowing {
            // The tagger's buffer is full: the burst's tags (and so its herald, if any) are lost.
            if outcome.herald != nil, tagger.isStreaming { tagger.reportLost(1 + 2) }
            return BurstResult(attempts: outcome.attempts, herald: nil, tagsLost: true)
        }
        if let h = outcome.herald, let tagger, tagger.isStreaming {
            // The sync of the heralding attempt, then its clicks: what the tagger's inputs saw.
            let sync = tagger.syncChannel.map { [TimeTag(channel: $0, picoseconds: h.syncPicoseconds)] } ?? []
            tagger.deliver(sync + h.tags)
        }
        return outcome
    }

    /// Pattern probabilities for the ions and detectors as they are now; patterns with a dead
    /// (latched or disabled) detector cannot herald, and a detector biased away from the lab's setpoint
    /// scales its patterns by its efficiency's ratio (a herald is a coincidence of two photons detected,
    /// so its probability is proportional to each of the two detectors' efficiencies; the dark-count
    /// share of a pattern is scaled with it, an approximation of order dark counts/photon clicks).
    private func currentProbabilities(_ s: SimulatedWorld.State) -> (model: Compiled, probabilities: [Double], total: Double) {
        let emitA = s.ionPresent[0] && s.excitationOn[0]
        let emitB = s.ionPresent[1] && s.excitationOn[1]
        let model = compiled[(emitA ? 1 : 0) + (emitB ? 2 : 0)]
        var probs = model.probabilities
        for (i, p) in HeraldPattern.all.enumerated() {
            let a = p.first.index, b = p.second.index
            probs[i] = s.slotLive[a] && s.slotLive[b] ? probs[i] * s.slotEfficiencyScale[a] * s.slotEfficiencyScale[b] : 0
        }
        return (model, probs, probs[0] + probs[1] + probs[2] + probs[3])
    }

    private func burst(_ s: inout SimulatedWorld.State, maxAttempts: Int64, startPs: Int64) -> BurstResult {
        var done: Int64 = 0
        while true {
            let (model, probs, pHerald) = currentProbabilities(s)
            let remaining = maxAttempts - done
            let gH = pHerald > 0 ? s.rng.geometricFailures(logOneMinusP: log1p(-pHerald)) : .max
            let gA = s.ionPresent[0] ? s.rng.geometricFailures(logOneMinusP: logKeep[0]) : .max
            let gB = s.ionPresent[1] ? s.rng.geometricFailures(logOneMinusP: logKeep[1]) : .max
            let first = min(gH, gA, gB)
            if first >= remaining { return BurstResult(attempts: maxAttempts, herald: nil) }
            done += first + 1
            if first == gH {
                return BurstResult(attempts: done, herald: herald(&s, model, probs, pHerald, attempt: done - 1, startPs: startPs))
            }
            // An ion was lost in this attempt; carry on with the model for the remaining ions.
            loseIon(first == gA ? 0 : 1, &s)
        }
    }

    private func burstPerAttempt(_ s: inout SimulatedWorld.State, maxAttempts: Int64, startPs: Int64) -> BurstResult {
        var (model, probs, pHerald) = currentProbabilities(s)
        let keep = logKeep.map { -expm1($0) }
        for attempt in 0..<maxAttempts {
            if s.rng.nextUnit() < pHerald {
                return BurstResult(attempts: attempt + 1, herald: herald(&s, model, probs, pHerald, attempt: attempt, startPs: startPs))
            }
            for node in 0..<2 where s.ionPresent[node] && keep[node] > 0 && s.rng.nextUnit() < keep[node] {
                loseIon(node, &s)
                (model, probs, pHerald) = currentProbabilities(s)
            }
        }
        return BurstResult(attempts: maxAttempts, herald: nil)
    }

    private func loseIon(_ node: Int, _ s: inout SimulatedWorld.State) {
        s.ionPresent[node] = false
        s.losses[node] += 1
    }

    /// Picks the pattern in proportion to its probability, leaves its heralded state for readout and
    /// makes the two clicks' tags.
    private func herald(_ s: inout SimulatedWorld.State, _ model: Compiled, _ probs: [Double], _ pHerald: Double,
                        attempt: Int64, startPs: Int64) -> HeraldEvent {
        var u = s.rng.nextUnit() * pHerald
        var k = 0
        while k < 3 && (u >= probs[k] || probs[k] == 0) { u -= probs[k]; k += 1 }
        let pattern = HeraldPattern.all[k]
        s.ionPairState = model.states[k]
        let sync = startPs + attempt * periodPs
        let first = tag(pattern.first.index, sync: sync, &s.rng)
        let second = tag(pattern.second.index, sync: sync, &s.rng)
        return HeraldEvent(attemptIndex: attempt, pattern: pattern, tags: first < second ? [first, second] : [second, first],
                           syncPicoseconds: sync)
    }

    /// A click in `slot` of the attempt whose sync is at `sync`, as a herald's clicks are drawn (for a world
    /// that adds the clicks of attempts that do not herald).
    public func clickTag(slot: Int, sync: Int64, rng: inout SeededGenerator) -> TimeTag { tag(slot, sync: sync, &rng) }

    /// A click in `slot`: its window's place after the sync plus a click time inside the window, drawn
    /// by rejection from the photon's wavepacket convolved with jitter, Exp(τ) + N(0, σ²); uniform in
    /// the window if the window catches little of it.
    private func tag(_ slot: Int, sync: Int64, _ rng: inout SeededGenerator) -> TimeTag {
        var offset: Double?
        for _ in 0..<32 {
            let t = rng.exponential(mean: tauSeconds) + sigmaSeconds * rng.standardNormal()
            if t >= windowFrom && t <= windowTo { offset = t; break }
        }
        let t = offset ?? (windowFrom + (windowTo - windowFrom) * rng.nextUnit())
        return TimeTag(channel: layout.channelOfSlot[slot], picoseconds: sync + slotArrivalPs[slot] + Int64((t * 1e12).rounded()))
    }
}
