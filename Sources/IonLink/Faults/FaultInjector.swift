import Synchronization

/// Plays a ``FaultPlan`` against a run on the lab clock. Wrapped devices ask it, call by call, whether
/// to fail (``intercept(device:command:)``); due knob faults are started (and, for lasting faults,
/// ended) whenever any wrapped device or the attempt loop passes through it, so faults land between
/// the run's own steps, as real ones do.
public final class FaultInjector: Sendable {
    public let plan: FaultPlan
    /// Lab time a timed-out call takes before it fails.
    public let replyTimeout: Duration
    private let clock: any LabClock
    /// Clock reading at which the run's lab time was zero.
    private let origin: Duration
    private let knobs: [String: any FaultKnob]
    private let onKill: @Sendable () -> Void
    private let state: Mutex<State>

    struct Firing: Sendable {
        var at: Duration
        var entry: Int
        var ending: Bool
        /// A later loss of an `ion_loss` burst (schedules nothing further).
        var followUp = false
    }

    struct Armed: Sendable {
        var timeouts = 0
        var garbage = 0
        var disconnectedUntil: Duration?
    }

    struct State: Sendable {
        /// Due firings, earliest first.
        var queue: [Firing] = []
        var armed: [String: Armed] = [:]
        var log: [InjectedFault] = []
    }

    /// - Parameters:
    ///   - devices: the names of the wrapped devices (targets of wrapper faults).
    ///   - knobs: device name → its knob (targets of the other faults).
    ///   - runTimeAtStart: lab time the run has already spent (a resumed run), so the schedule continues
    ///     from there (faults before it are skipped; a `kill` is never repeated).
    ///   - onKill: what `kill` does (the command line sends itself SIGKILL).
    /// - Throws: ``FaultPlanError`` when the plan names an unknown device or a fault its device cannot have.
    public init(plan: FaultPlan, devices: Set<String>, knobs: [String: any FaultKnob], clock: any LabClock,
                runTimeAtStart: Duration = .zero, replyTimeout: Duration = .milliseconds(500),
                onKill: @escaping @Sendable () -> Void) throws(FaultPlanError) {
        for (i, f) in plan.faults.enumerated() where f.kind != .kill {
            let path = "faults[\(i)].device"
            if f.kind.isWrapperFault && !(knobs[f.device]?.knobFaults.contains(f.kind) ?? false) {
                guard devices.contains(f.device) else {
                    let all = devices.union(knobs.filter { $0.value.knobFaults.contains(f.kind) }.keys)
                    throw FaultPlanError(
                        problem: .outOfRange(path: path, value: f.device, allowed: all.sorted().joined(separator: " | "), line: f.line))
                }
            } else {
                let able = knobs.filter { $0.value.knobFaults.contains(f.kind) }.keys.sorted()
                guard able.contains(f.device) else {
                    throw FaultPlanError(problem: .outOfRange(path: path, value: f.device,
                            allowed: "a device that can \(f.kind.rawValue): " + able.joined(separator: " | "), line: f.line))
                }
            }
        }
        self.plan = plan
        self.replyTimeout = replyTimeout
        self.clock = clock
        origin = clock.now() - runTimeAtStart
        self.knobs = knobs
        self.onKill = onKill
        var s = State()
        for (i, f) in plan.faults.enumerated() {
            // A resumed run re-lives the lab time after its last flush, but a kill is not repeated: the
            // run would otherwise die at the same moment every time it is resumed.
            if f.kind == .kill && runTimeAtStart > .zero { continue }
            var at = f.at
            // A resumed run skips what already happened, repeats included; but an ion-loss burst that began
            // before the resume point still has its later losses to come.
            var began: Duration?
            if let every = f.repeatEvery, at < runTimeAtStart {
                let passed = Int((runTimeAtStart - at).inSeconds / every.inSeconds)
                began = at + every * passed
                at += every * (passed + 1)
            } else if at < runTimeAtStart {
                began = at
            }
            if let began, f.kind == .ionLoss {
                for k in 1..<max(1, f.count) where began + f.spacing * k >= runTimeAtStart {
                    Self.insert(Firing(at: began + f.spacing * k, entry: i, ending: false, followUp: true), into: &s.queue)
                }
            }
            guard at >= runTimeAtStart else { continue }
            Self.insert(Firing(at: at, entry: i, ending: false), into: &s.queue)
        }
        state = Mutex(s)
    }

    /// Lab time since the run began.
    public var runTime: Duration { clock.now() - origin }

    /// Every fault injected so far.
    public var log: [InjectedFault] { state.withLock { $0.log } }

    private static func insert(_ f: Firing, into queue: inout [Firing]) {
        let i = queue.firstIndex { $0.at > f.at } ?? queue.endIndex
        queue.insert(f, at: i)
    }

    /// Starts (and ends) every fault due by now.
    public func advance() async {
        let now = runTime
        while let (firing, fault) = nextDue(now) {
            if firing.ending {
                state.withLock { $0.log.append(InjectedFault(at: now, device: fault.device, kind: fault.kind, what: "end")) }
                await knobs[fault.device]?.end(fault)
                continue
            }
            state.withLock { $0.log.append(InjectedFault(at: now, device: fault.device, kind: fault.kind, what: "begin")) }
            if fault.kind == .kill {
                onKill()
            } else if !armsWrapper(fault) {
                await knobs[fault.device]?.begin(fault)
            }
        }
    }

    /// Pops the next due firing, scheduling what follows from it, and arms wrapper faults.
    private func nextDue(_ now: Duration) -> (Firing, ScheduledFault)? {
        state.withLock { s -> (Firing, ScheduledFault)? in
            guard let first = s.queue.first, first.at <= now else { return nil }
            s.queue.removeFirst()
            let f = plan.faults[first.entry]
            guard !first.ending else { return (first, f) }
            if let every = f.repeatEvery, !first.followUp {
                Self.insert(Firing(at: first.at + every, entry: first.entry, ending: false), into: &s.queue)
            }
            switch f.kind {
            case .timeout where armsWrapper(f): s.armed[f.device, default: Armed()].timeouts += f.count
            case .garbage where armsWrapper(f): s.armed[f.device, default: Armed()].garbage += f.count
            case .disconnect where armsWrapper(f): s.armed[f.device, default: Armed()].disconnectedUntil = first.at + f.duration
            case .timeout, .garbage: break
            case .interlock, .overflow, .disconnect: Self.insert(Firing(at: first.at + f.duration, entry: first.entry, ending: true), into: &s.queue)
            case .ionLoss where !first.followUp:
                // The burst's later losses follow one by one (a repeat restarts the whole burst).
                for k in 1..<max(1, f.count) {
                    Self.insert(Firing(at: first.at + f.spacing * k, entry: first.entry, ending: false, followUp: true), into: &s.queue)
                }
            case .ionLoss: break
            case .latch, .kill: break
            }
            return (first, f)
        }
    }

    /// Whether a wrapper fault goes to the device's wrapper (true) or to its knob, which makes it happen
    /// on the wire.
    private func armsWrapper(_ f: ScheduledFault) -> Bool {
        f.kind.isWrapperFault && !(knobs[f.device]?.knobFaults.contains(f.kind) ?? false)
    }

    /// Whether `device`'s call `command` fails, and how; consumes one armed fault. A timeout spends
    /// ``replyTimeout`` on the lab clock first.
    public func intercept(device: String, command: String) async -> InjectedFailure? {
        await advance()
        let now = runTime
        let failure = state.withLock { s -> InjectedFailure? in
            guard var a = s.armed[device] else { return nil }
            var out: InjectedFailure?
            if let until = a.disconnectedUntil {
                if now < until { out = .disconnected } else { a.disconnectedUntil = nil }
            }
            if out == nil, a.timeouts > 0 { a.timeouts -= 1; out = .timeout }
            if out == nil, a.garbage > 0 { a.garbage -= 1; out = .garbage("\u{15}#~\u{7F}?x" + String(now.inPicoseconds % 997)) }
            s.armed[device] = a
            if let out {
                let kind: FaultKind = switch out { case .timeout: .timeout; case .garbage: .garbage; case .disconnected: .disconnect }
                s.log.append(InjectedFault(at: now, device: device, kind: kind, what: command))
            }
            return out
        }
        if failure == .timeout { await clock.spend(replyTimeout) }
        return failure
    }

    /// ``intercept(device:command:)`` as the device's own error: what a wrapper throws instead of
    /// forwarding the call.
    public func gate<K>(_ device: String, _ command: String, as _: DeviceError<K>.Type) async throws(DeviceError<K>) {
        switch await intercept(device: device, command: command) {
        case nil: return
        case .timeout: throw .timeout(device: device, command: command)
        case let .garbage(noise): throw .malformedReply(device: device, command: command, reply: noise)
        case .disconnected: throw .disconnected(device: device)
        }
    }
}
