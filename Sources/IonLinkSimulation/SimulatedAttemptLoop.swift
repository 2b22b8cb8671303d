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
    private let window: DetectionWindow
    private let lifetime: Duration
    private let jitter: Duration
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
        window = DetectionWindow(start: layout.windowStart, length: layout.windowLength)
        self.lifetime = lifetime
        self.jitter = jitter
        compiled = models.map { m in Compiled(probabilities: m.patternProbabilities, states: (0..<4).map(m.state(for:))) }
        logKeep = lossProbability.map { log1p(-$0.value) }
    }

    public func runBurst(maxAttempts: Int64) async throws(AttemptLoopError) -> BurstResult {
        guard maxAttempts > 0 else { return BurstResult(attempts: 0, herald: nil) }
        let startPs = world.clock.nowPicoseconds
        let periodPs = attemptPeriod.inPicoseconds
        let outcome = world.withState { s in burst(&s, maxAttempts: maxAttempts, startPs: startPs, periodPs: periodPs) }
        world.clock.advance(picoseconds: outcome.attempts * periodPs)
        if let h = outcome.herald, let tagger, tagger.isStreaming { tagger.deliver(h.tags) }
        return outcome
    }

    private func burst(_ s: inout SimulatedWorld.State, maxAttempts: Int64, startPs: Int64, periodPs: Int64) -> BurstResult {
        var done: Int64 = 0
        while true {
            let emitA = s.ionPresent[0] && s.excitationOn[0]
            let emitB = s.ionPresent[1] && s.excitationOn[1]
            let model = compiled[(emitA ? 1 : 0) + (emitB ? 2 : 0)]
            // Patterns with a dead (latched or disabled) detector cannot herald.
            var probs = model.probabilities
            for (i, p) in HeraldPattern.all.enumerated() where !(s.slotLive[p.first.index] && s.slotLive[p.second.index]) {
                probs[i] = 0
            }
            let pHerald = probs[0] + probs[1] + probs[2] + probs[3]
            let remaining = maxAttempts - done
            let gH = pHerald > 0 ? s.rng.geometricFailures(logOneMinusP: log1p(-pHerald)) : .max
            let gA = s.ionPresent[0] ? s.rng.geometricFailures(logOneMinusP: logKeep[0]) : .max
            let gB = s.ionPresent[1] ? s.rng.geometricFailures(logOneMinusP: logKeep[1]) : .max
            let first = min(gH, gA, gB)
            if first >= remaining { return BurstResult(attempts: maxAttempts, herald: nil) }
            done += first + 1
            if first == gH {
                var u = s.rng.nextUnit() * pHerald
                var k = 0
                while k < 3 && (u >= probs[k] || probs[k] == 0) { u -= probs[k]; k += 1 }
                let pattern = HeraldPattern.all[k]
                s.ionPairState = model.states[k]
                let attemptStart = startPs + (done - 1) * periodPs
                let tags = [pattern.first, pattern.second].map { slot in
                    TimeTag(channel: layout.channelOfSlot[slot.index],
                            picoseconds: attemptStart + layout.photonDelay.inPicoseconds
                                + layout.slotDelay[slot.index].inPicoseconds + clickOffset(&s.rng))
                }.sorted()
                let herald = HeraldEvent(attemptIndex: done - 1, pattern: pattern, tags: tags, syncPicoseconds: attemptStart)
                return BurstResult(attempts: done, herald: herald)
            }
            // An ion was lost in this attempt; carry on with the model for the remaining ions.
            if first == gA { s.ionPresent[0] = false; s.losses[0] += 1 } else { s.ionPresent[1] = false; s.losses[1] += 1 }
        }
    }

    /// A click time inside the window: the photon's wavepacket convolved with jitter, drawn by
    /// rejection from Exp(τ) + N(0, σ²); uniform in the window if the window catches little of it.
    private func clickOffset(_ rng: inout SeededGenerator) -> Int64 {
        let a = window.start.inSeconds, b = (window.start + window.length).inSeconds
        let tau = lifetime.inSeconds, sigma = jitter.inSeconds
        for _ in 0..<32 {
            let t = rng.exponential(mean: tau) + sigma * rng.standardNormal()
            if t >= a && t <= b { return Int64((t * 1e12).rounded()) }
        }
        return Int64(((a + (b - a) * rng.nextUnit()) * 1e12).rounded())
    }
}
