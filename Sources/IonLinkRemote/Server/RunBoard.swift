import IonLink
import IonLinkSequencer
import Synchronization

/// The node's runs as its observers see them: the latest update of the current (or last) run, and
/// every watcher's stream. A watcher that goes away is dropped; the run does not notice.
public final class RunBoard: Sendable {
    struct State {
        var run: Int64 = 0
        var latest = Ionlink_V1_RunUpdate.with { $0.phase = .idle }
        var watchers: [Int: (heralds: Bool, continuation: AsyncStream<Ionlink_V1_RunUpdate>.Continuation)] = [:]
        var nextWatcher = 0
    }
    private let state = Mutex(State())
    /// Expected values to show beside the measured ones (the simulated lab's model; nil with real instruments).
    let model: (successProbability: Double, fidelity: Double)?

    public init(model: (successProbability: Double, fidelity: Double)?) {
        self.model = model
    }

    /// The latest update.
    public var latest: Ionlink_V1_RunUpdate { state.withLock { $0.latest } }

    /// How many watchers are attached.
    public var watcherCount: Int { state.withLock { $0.watchers.count } }

    /// Begins run number n+1 and returns its number.
    func begin() -> Int64 {
        state.withLock { s in
            s.run += 1
            s.latest = update(phase: .running, run: s.run, totals: RunResult())
            return s.run
        }
    }

    /// A stream of updates from now on, starting with the latest; it ends when the run finishes.
    func watch(heralds: Bool) -> AsyncStream<Ionlink_V1_RunUpdate> {
        let (stream, continuation) = AsyncStream<Ionlink_V1_RunUpdate>.makeStream(bufferingPolicy: .bufferingNewest(4096))
        let id = state.withLock { s -> Int in
            let id = s.nextWatcher
            s.nextWatcher += 1
            continuation.yield(s.latest)
            if s.latest.phase == .running { s.watchers[id] = (heralds, continuation) } else { continuation.finish() }
            return id
        }
        continuation.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) } }
        return stream
    }

    func progress(_ r: RunResult) { publish(update(phase: .running, run: nil, totals: r), herald: false) }

    func herald(_ h: HeraldRecord, _ r: RunResult) {
        var u = update(phase: .running, run: nil, totals: r)
        u.herald = .with { o in
            o.labTimePs = h.labTime.inPicoseconds
            o.attempt = h.attempt
            o.bellState = HeraldPattern.all[h.pattern].state.rawValue
            o.basis = h.basis.wire
            o.eigenvalueA = Int32(h.eigenvalueA)
            o.eigenvalueB = Int32(h.eigenvalueB)
        }
        publish(u, herald: true)
    }

    func finish(_ r: RunResult) {
        let u = update(phase: .finished, run: nil, totals: r)
        let ending = state.withLock { s in
            s.latest = u
            s.latest.run = s.run
            defer { s.watchers = [:] }
            return s.watchers.values.map(\.continuation)
        }
        var last = u
        last.run = state.withLock { $0.run }
        for c in ending {
            c.yield(last)
            c.finish()
        }
    }

    private func publish(_ u: Ionlink_V1_RunUpdate, herald: Bool) {
        let targets = state.withLock { s -> [AsyncStream<Ionlink_V1_RunUpdate>.Continuation] in
            var u2 = u
            u2.run = s.run
            u2.clearHerald()
            s.latest = u2
            return s.watchers.values.filter { !herald || $0.heralds }.map(\.continuation)
        }
        var out = u
        out.run = state.withLock { $0.run }
        for c in targets { c.yield(out) }
    }

    private func update(phase: Ionlink_V1_RunUpdate.Phase, run: Int64?, totals r: RunResult) -> Ionlink_V1_RunUpdate {
        var u = Ionlink_V1_RunUpdate()
        u.phase = phase
        if let run { u.run = run }
        u.totals = .init(r)
        if let model {
            u.modelSuccessProbability = model.successProbability
            u.modelFidelity = model.fidelity
        }
        return u
    }
}

extension Ionlink_V1_Totals {
    init(_ r: RunResult) {
        self.init()
        attempts = r.attempts
        heralds = Int64(r.heralds)
        labTimePs = r.time.total.inPicoseconds
        successProbability = r.successProbability
        heraldRateHz = r.heraldRate
        if let f = r.verification.fidelityEstimate() {
            fidelity = f.fidelity
            fidelityCi95 = f.halfWidth
        }
        rejectedHeralds = Int64(r.rejectedHeralds)
        faults = Int64(r.faults.values.reduce(0) { $0 + $1.count })
        reloads = Int64(r.reloads)
        interrupted = r.interrupted
        failure = r.failure ?? ""
    }
}
