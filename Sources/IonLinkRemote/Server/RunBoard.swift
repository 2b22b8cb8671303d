import IonLink
import IonLinkPhysics
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
        /// The current run's record, once it has one.
        var record = ""
    }
    private let state = Mutex(State())
    /// Expected values to show beside the measured ones: what the lab's configuration predicts.
    let model: (successProbability: Double, fidelity: Double)?

    /// - Parameter model: the lab's model, or nil for none to show.
    public init(model: LabModel?) {
        self.model = model.map { ($0.budget.model.heraldProbability, $0.expectedVerifiedFidelity) }
    }

    /// The latest update.
    public var latest: Ionlink_V1_RunUpdate { state.withLock { $0.latest } }

    /// How many watchers are attached.
    public var watcherCount: Int { state.withLock { $0.watchers.count } }

    /// Begins run number n+1 and returns its number.
    func begin() -> Int64 {
        state.withLock { s in
            s.run += 1
            s.record = ""
            s.latest = update(phase: .running, totals: RunResult())
            s.latest.run = s.run
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

    func progress(_ r: RunResult) { publish(update(phase: .running, totals: r), herald: false) }

    func herald(_ h: HeraldRecord, _ r: RunResult) {
        var u = update(phase: .running, totals: r)
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

    /// The current run's record path, carried by every update from now on.
    func recording(_ path: String) {
        state.withLock { s in
            s.record = path
            s.latest.record = path
        }
    }

    /// The run's last update, with its summary; every watcher gets it and its stream ends.
    func finish(_ r: RunResult, summary: RunSummary?) {
        var u = update(phase: .finished, totals: r)
        u.summaryJson = (try? summary?.json()) ?? ""
        publish(u, herald: false, finishing: true)
    }

    /// Stamps `u` with the run's number, keeps it (without its herald) as the latest, and sends it to the
    /// watchers that want it (all, unless it is a herald's).
    private func publish(_ u: Ionlink_V1_RunUpdate, herald: Bool, finishing: Bool = false) {
        let (out, targets) = state.withLock { s -> (Ionlink_V1_RunUpdate, [AsyncStream<Ionlink_V1_RunUpdate>.Continuation]) in
            var out = u
            out.run = s.run
            out.record = s.record
            s.latest = out
            s.latest.clearHerald()
            let targets = s.watchers.values.filter { !herald || $0.heralds }.map(\.continuation)
            if finishing { s.watchers = [:] }
            return (out, targets)
        }
        for c in targets {
            c.yield(out)
            if finishing { c.finish() }
        }
    }

    private func update(phase: Ionlink_V1_RunUpdate.Phase, totals r: RunResult) -> Ionlink_V1_RunUpdate {
        var u = Ionlink_V1_RunUpdate()
        u.phase = phase
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
