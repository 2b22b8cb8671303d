import IonLink
import IonLinkPhysics
import IonLinkSimulation
import Synchronization

/// The simulated world behind a lab of emulated instruments: what one instrument does reaches the
/// others through the physics, as in the lab. A pulse generator's burst (``BurstSink``) makes
/// attempts; each attempt's photons are drawn exactly as the pure simulation draws them (the same
/// ``SimulatedAttemptLoop``, so the same statistics); the time tagger (``TimestampSource``) sees one
/// sync per attempt made and the heralds' clicks on the lab's channels; a herald-stop unit on the
/// generator's inhibit input (the lab's `hub.herald_stop`) ends a burst at the heralding attempt when
/// the generator enables that input.
///
/// The world's time is the tagger's: it moves on by each acquisition the tagger makes, and a burst
/// starts when it is fired (after the previous burst, if that is still running).
///
/// Ions are not lost here: the run's ion checks are the host's simulated traps, so losing an ion in this
/// world would make the two disagree. Attempts that do not herald leave their single clicks (a photon
/// detected alone, a dark count) in the stream, so the tagger's click rates are a lab's.
public final class EmulatedWorld: TimestampSource, BurstSink {
    /// What the world has made so far: the truth a run through the instruments is checked against.
    public struct Tally: Sendable, Hashable {
        public var bursts: Int64 = 0
        /// Attempts made (each one sync).
        public var attempts: Int64 = 0
        /// Heralds made, by index in ``HeraldPattern/all``.
        public var heraldsByPattern: [Int64] = [0, 0, 0, 0]
        /// Bursts a herald stop ended early.
        public var stoppedEarly: Int64 = 0
        /// Events no tagger read: kept too long, or discarded by a tagger starting a fresh run.
        public var eventsDropped: Int64 = 0
        /// Clicks of attempts that did not herald (a photon detected alone, or a dark count).
        public var singleClicks: Int64 = 0
        /// Readouts each node's counter has counted.
        public var readouts: [Int64] = [0, 0]
        public var heralds: Int64 { heraldsByPattern.reduce(0, +) }
    }

    /// Why a world cannot be made for a lab.
    public struct Unfit: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public let model: LabModel
    let world: SimulatedWorld
    /// The patterns the lab's herald stop (`hub.herald_stop`) ends a burst at; none without one.
    private let stopPatterns: Set<HeraldPattern>
    /// One tagger unit's view of the world: the input bit of each lab channel it has, and the events its
    /// clock has not reached.
    struct View {
        var inputs: [Int32: UInt8]
        var now: Int64 = 0
        /// Where this unit's clock stands when the world's reads zero (units' clocks are independent).
        var offset: Int64 = 0
        var pending: [TimestampEvent] = []
    }
    /// An event in lab channels, before a unit's inputs see it.
    struct LabEvent {
        var picoseconds: Int64
        var channel: Int32
    }
    struct State {
        /// The hub tagger's view first; a second unit sharing its sync after it.
        var views: [View]
        /// Attempt loops by generator period and the two nodes' excitation probabilities.
        var loops: [LoopKey: SimulatedAttemptLoop] = [:]
        /// The power each node's excitation laser emits (nil: as configured, no laser attached).
        var excitationPower: [Power?] = [nil, nil]
        /// The phase of each node's qubit drive while it is on (nil: off, or none attached: no analysis pulse).
        var drive: [Angle?] = [nil, nil]
        var tally = Tally()
    }
    struct LoopKey: Hashable {
        var periodPicoseconds: Int64
        var excitation: [Double]
    }
    let config: LabConfig
    /// The lab's detector channels, in order: one detector (and one bias circuit) each.
    var detectorChannels: [Int32] { config.hub.detectorChannels }
    /// The lab's SNSPDs' switching current.
    var switchingCurrent: Current { config.hub.detector.switchingCurrent }
    let state: Mutex<State>
    /// Events kept for a tagger that is not reading (about 64 MB); older ones are dropped and counted.
    static let maxPending = 1 << 22

    /// - Parameters:
    ///   - inputs: the tagger's input count; the lab's detector channels and sync channel are inputs
    ///     0…inputs−1 (a TDC1 has four).
    public init(config: LabConfig, seed: UInt64, inputs: Int = 4) throws {
        model = try LabModel(config: config)
        self.config = config
        let hub = config.hub
        let used = Set(hub.channels + [hub.syncChannel])
        // Units whose `inputs` map them onto the lab's channels take any channels; else channel k is input k+1.
        let mapped = config.devices.contains { [.tagger, .tagger2].contains($0.role.part) && $0.options["inputs"] != nil }
        guard mapped || used.allSatisfy({ (0..<Int32(inputs)).contains($0) }) else {
            throw Unfit(description: "the tagger has inputs 0…\(inputs - 1), but the lab's hub uses channels \(used.sorted()) "
                                     + "(detectors \(hub.channels), sync \(hub.syncChannel))")
        }
        stopPatterns = Set(hub.heraldStop?.patterns ?? [])
        // By default the hub tagger takes lab channel k on its input k+1.
        state = Mutex(State(views: [View(inputs: Dictionary(uniqueKeysWithValues: used.filter { $0 < 8 }.map { ($0, UInt8(1 << $0)) }))]))
        // Its own stream, apart from a run's given the same seed (a run's simulated traps draw from that).
        world = SimulatedWorld(seed: (seed ^ 0xE703_7ED1_A0B4_28DB) &* 0x9E37_79B9_7F4A_7C15)
        // The excitation light is on and every detector live until attached instruments say otherwise.
        world.withState { $0.excitationOn = [true, true] }
    }

    /// What the world has made so far.
    public var tally: Tally { state.withLock { $0.tally } }

    /// The optical power `node`'s excitation laser emits (set over its wire): none turns the excitation
    /// off; any other power sets the excitation pulse's probability by its Rabi frequency
    /// (``rabiExcitationProbability(power:reference:referenceProbability:)``, against the lab's
    /// configured power and probability).
    public func setExcitationPower(node: Int, _ power: Power) {
        state.withLock { s in
            s.excitationPower[node] = power
            world.withState { $0.excitationOn[node] = power.watts > 0 }
        }
    }

    /// Whether the detector on tagger channel `channel` can click (biased below its switching current,
    /// not latched): every click slot on that channel.
    public func setChannelLive(_ channel: Int32, _ live: Bool) {
        let slots = model.slotLayout.channelOfSlot.indices.filter { model.slotLayout.channelOfSlot[$0] == channel }
        world.withState { w in for k in slots { w.slotLive[k] = live } }
    }

    /// The detector on tagger channel `channel` is biased at `current`: its efficiency, relative to the
    /// lab's at its configured bias (``DetectorConfig/efficiency(atBias:)``), scales the patterns it clicks in.
    public func setChannelBias(_ channel: Int32, _ current: Current) {
        let detector = config.hub.detector
        let configured = detector.spec.efficiency.value
        let scale = configured > 0 ? detector.efficiency(atBias: .amperes(abs(current.amperes))) / configured : 0
        let slots = model.slotLayout.channelOfSlot.indices.filter { model.slotLayout.channelOfSlot[$0] == channel }
        world.withState { w in for k in slots { w.slotEfficiencyScale[k] = scale } }
    }

    /// The excitation probability of each node as its laser's power makes it.
    private func excitation(_ s: State) -> [Double] {
        (0..<2).map { n in
            let node = config.nodes[n]
            guard let power = s.excitationPower[n] else { return node.excitationProbability.value }
            return rabiExcitationProbability(power: power, reference: node.excitation.power,
                                             referenceProbability: node.excitationProbability).value
        }
    }

    /// The attempt loop for a generator period and the lasers' powers (the lab's physics at the period the
    /// generator makes, with the excitation the lasers make).
    private func loop(period ps: Int64, _ s: inout State) -> SimulatedAttemptLoop {
        let key = LoopKey(periodPicoseconds: ps, excitation: excitation(s))
        if let l = s.loops[key] { return l }
        var budget = model.budget
        if key.excitation != config.nodes.map(\.excitationProbability.value) {
            var changed = config
            for n in 0..<2 { changed.nodes[n].excitationProbability = Probability(unchecked: key.excitation[n]) }
            if let m = try? LabModel(config: changed) { budget = m.budget }
        }
        let l = SimulatedAttemptLoop(budget: budget, attemptPeriod: .picoseconds(ps), lossProbability: [.zero, .zero], world: world,
                                     tagger: nil, layout: model.slotLayout, lifetime: model.species[0].excitedLifetime,
                                     jitter: config.hub.detector.spec.jitterSigma)
        s.loops[key] = l
        return l
    }

    public func fired(_ burst: FiredBurst) {
        guard burst.count > 0, burst.periodPicoseconds > 0 else { return }
        let sync = config.hub.syncChannel
        state.withLock { s in
            // The burst starts when every unit's clock has reached it: a unit that has read further than
            // another must not be handed tags from its past (its time would run backwards).
            let lag = s.views.map(\.now).max()! - world.clock.nowPicoseconds
            if lag > 0 { world.clock.advance(picoseconds: lag) }
            let loop = loop(period: burst.periodPicoseconds, &s)
            var events: [LabEvent] = []
            var left = burst.count
            s.tally.bursts += 1
            while left > 0 {
                let start = world.clock.nowPicoseconds
                let r = loop.drawBurst(maxAttempts: left)
                for k in 0..<r.attempts { events.append(LabEvent(picoseconds: start + k * burst.periodPicoseconds, channel: sync)) }
                s.tally.attempts += r.attempts
                let quiet = r.attempts - (r.herald == nil ? 0 : 1)
                let singles = singleClicks(attempts: quiet, start: start, period: burst.periodPicoseconds, excitation: excitation(s), loop: loop)
                s.tally.singleClicks += Int64(singles.count)
                events += singles
                left -= r.attempts
                guard let h = r.herald else { break }
                for t in h.tags { events.append(LabEvent(picoseconds: t.picoseconds, channel: t.channel)) }
                if let k = HeraldPattern.all.firstIndex(of: h.pattern) { s.tally.heraldsByPattern[k] += 1 }
                // The coincidence unit asserts the generator's inhibit input at a pattern it is set for.
                if burst.inhibitEnabled && stopPatterns.contains(h.pattern) {
                    if left > 0 { s.tally.stoppedEarly += 1 }
                    break
                }
            }
            events.sort { $0.picoseconds < $1.picoseconds }
            // Each unit sees the events on the channels its inputs take (the sync on all of them).
            for v in s.views.indices {
                let inputs = s.views[v].inputs
                s.views[v].pending += events.compactMap { e in inputs[e.channel].map { TimestampEvent(picoseconds: e.picoseconds, inputs: $0) } }
                if s.views[v].pending.count > Self.maxPending {
                    let drop = s.views[v].pending.count - Self.maxPending
                    s.views[v].pending.removeFirst(drop)
                    s.tally.eventsDropped += Int64(drop)
                }
            }
        }
    }

    public func acquire(picoseconds: Int64) -> [TimestampEvent] { acquire(view: 0, picoseconds: picoseconds) }

    public func discard() { discard(view: 0) }

    public var clockPicoseconds: Int64? { clock(view: 0) }

    /// View `v`'s clock: where its unit's tagger clock stands.
    func clock(view v: Int) -> Int64 { state.withLock { $0.views[v].now + $0.views[v].offset } }

    /// View `v`'s tagger starts afresh: the events it has not read are gone (a unit restarted after a fault
    /// must not hand its partner's merger a burst the partner never saw).
    func discard(view v: Int) {
        state.withLock { s in
            s.tally.eventsDropped += Int64(s.views[v].pending.count)
            s.views[v].pending.removeAll()
        }
    }

    /// The events of the next `picoseconds` of view `v`'s clock.
    func acquire(view v: Int, picoseconds: Int64) -> [TimestampEvent] {
        state.withLock { s in
            // Units' clocks run together (lab time), though each reads on its own: a unit whose last read
            // ended before another's starts from where the lab's time stands.
            s.views[v].now = s.views.map(\.now).max()! + max(0, picoseconds)
            let now = s.views[v].now
            let end = s.views[v].pending.firstIndex { $0.picoseconds >= now } ?? s.views[v].pending.count
            defer { s.views[v].pending.removeFirst(end) }
            let offset = s.views[v].offset
            return s.views[v].pending[..<end].map { TimestampEvent(picoseconds: $0.picoseconds + offset, inputs: $0.inputs) }
        }
    }
}
