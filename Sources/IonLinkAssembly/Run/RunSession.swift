import IonLink
import IonLinkSequencer
import IonLinkSimulation
import Logging
import Synchronization

/// What one run is asked to do.
public struct RunRequest: Sendable {
    /// The run's seed, as reported (a resumed run's simulation may draw from a stream derived from it).
    public var seed: UInt64
    public var stop: StopCondition
    /// Faults to inject, played on the lab clock.
    public var faults: FaultPlan?
    /// The totals of the earlier part of a resumed run (its record's), or empty.
    public var resuming: RunResult
    /// Holds lab time to a multiple of wall time (nil: as fast as possible).
    public var pacing: Pacing?
    /// The run record an observer keeps, named in the summary (nil: none).
    public var record: String?

    public init(seed: UInt64, stop: StopCondition, faults: FaultPlan? = nil, resuming: RunResult = RunResult(), pacing: Pacing? = nil,
                record: String? = nil) {
        self.seed = seed
        self.stop = stop
        self.faults = faults
        self.resuming = resuming
        self.pacing = pacing
        self.record = record
    }
}

/// One heralding run from an assembled lab to its summary: fault injection, device identification,
/// the sequencer, the tag stream, the safe state after an interrupted or failed run, and the summary
/// every observer gets. `ionlink run`, `sweep`, `soak` and a served node's runs all go through it.
///
/// Cancelling the task that awaits ``run(observers:)`` stops the run after its burst (as SIGINT does);
/// the lab is then left in its safe state and the summary says `interrupted`.
public struct RunSession: Sendable {
    public let assembled: AssembledLab
    /// The lab as driven: the assembled one, wrapped for fault injection when the request has a plan.
    public let lab: Lab
    public let request: RunRequest
    public let settings: SequencerSettings
    public let injector: FaultInjector?
    /// Every device's identity, by name, as identified before the run.
    public let identities: [(String, DeviceIdentity)]
    private let logger: Logger

    /// Prepares a run: wraps the lab for the request's faults and identifies every device.
    /// - Parameter onKill: what the plan's `kill` does (the process dies, in `ionlink run`).
    public static func prepare(_ assembled: AssembledLab, request: RunRequest, logger: Logger,
                               onKill: @escaping @Sendable () -> Void = {}) async throws -> RunSession {
        var lab = assembled.lab
        var injector: FaultInjector?
        if let plan = request.faults {
            // Knob faults act on simulated devices (and on emulators, through knobs a test adds).
            let i = try FaultInjector(plan: plan, devices: lab.wrappableDeviceNames, knobs: assembled.simulation?.faultKnobs ?? [:], clock: lab.clock,
                                      runTimeAtStart: request.resuming.time.total, onKill: onKill)
            lab = lab.injectingFaults(i)
            injector = i
        }
        var settings = SequencerSettings(timing: assembled.model.config.timing)
        // Instruments come back in real time: a retry waits its pause on the wall clock too.
        settings.recovery.waitsOnWallClock = !assembled.instruments.isEmpty
        let identities = try await HeraldingSequencer(lab: lab, settings: settings, logger: logger).identifyDevices()
        return RunSession(assembled: assembled, lab: lab, request: request, settings: settings, injector: injector,
                          identities: identities, logger: logger)
    }

    /// Runs to the request's stop condition (or cancellation, or a fault past recovery) and returns the summary.
    public func run(observers: [any RunObserver]) async throws -> RunSummary { try await runWithTotals(observers: observers).summary }

    /// ``run(observers:)``, also returning the sequencer's totals (verification tallies, fault times) behind the summary.
    public func runWithTotals(observers: [any RunObserver]) async throws -> (summary: RunSummary, totals: RunResult) {
        var sequencer = HeraldingSequencer(lab: lab, settings: settings, logger: logger)
        let faultEvents = Mutex<[FaultEvent]>([])
        if injector != nil { sequencer.onFault = { e in faultEvents.withLock { $0.append(e) } } }
        let tagWatchers = observers.filter(\.wantsTags)
        var collector: Task<Void, Never>?
        if !tagWatchers.isEmpty {
            let stream = try await lab.tagger.startStreaming()
            collector = Task {
                for await batch in stream { for o in tagWatchers { o.tags(batch.tags) } }
            }
        }
        let result: RunResult
        do {
            result = try await sequencer.run(
                until: request.stop, resuming: request.resuming, progress: { r in for o in observers { o.progress(r) } },
                onHerald: { h, totals in for o in observers { o.herald(h, totals: totals) } }, pacing: request.pacing)
        } catch {
            await leaveSafe(observers)
            await stopTags(collector)
            throw error
        }
        // Interrupted, or stopped by a fault it could not recover from: leave the lab safe before anything else.
        if result.interrupted || result.failure != nil { await leaveSafe(observers) }
        await stopTags(collector)
        var summary = RunSummary(result: result, model: assembled.model, seed: request.seed)
        summary.record = request.record
        // Name the instruments that stood in for simulated roles.
        summary.instruments = Dictionary(identities.filter { $0.1.vendor != "IonLink" }.map { ($0.0, $0.1.description) },
                                         uniquingKeysWith: { a, _ in a })
        let loop = (lab.attemptLoop as? FaultInjectingAttemptLoop)?.inner ?? lab.attemptLoop
        if let source = loop as? any TaggerStatisticsSource {
            summary.tagger = RunSummary.TaggerSummary(name: source.taggerName, statistics: await source.taggerStatistics(),
                                                      attempts: result.attempts + result.discardedAttempts
                                                          - request.resuming.attempts - request.resuming.discardedAttempts)
        }
        if let injector, let loop = lab.attemptLoop as? FaultInjectingAttemptLoop {
            summary.faultPlan = RunSummary.FaultPlanOutcome(log: injector.log, events: faultEvents.withLock { $0 }, loop: loop)
        }
        for o in observers { try o.finished(summary) }
        return (summary, result)
    }

    /// Ends the tag stream and waits for its last batches to reach the observers.
    private func stopTags(_ collector: Task<Void, Never>?) async {
        guard let collector else { return }
        await lab.tagger.stopStreaming()
        await collector.value
    }

    /// Brings the lab to its safe state, telling the observers each step.
    private func leaveSafe(_ observers: [any RunObserver]) async {
        for step in await lab.bringToSafeState() {
            logger.notice("safe state", metadata: ["device": "\(step.device)", "action": "\(step.action)",
                                                   "failure": "\(step.failure ?? "none")"])
            for o in observers { o.safeState(step) }
        }
    }
}
