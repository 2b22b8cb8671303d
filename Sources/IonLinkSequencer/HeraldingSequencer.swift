import IonLink
import IonLinkTags
import Logging

/// The remote-entanglement protocol, driven only through the device protocols:
/// Doppler cool → (pump → excite → detect) × N on the attempt loop → on a herald whose tags fall in
/// their slots' windows after the attempt's sync, verify both ions in one of ZZ, XX, YY → cool again.
/// Every few bursts it checks both ions by fluorescence, reloads a lost one, recovers latched
/// detectors and restores laser emission after an interlock; device faults are retried with back-off.
public struct HeraldingSequencer: Sendable {
    public let nodes: [LabNode]
    public let detectors: [any PhotonDetector]
    public let pulses: any PulseGenerator
    public let loop: any AttemptLoop
    public let clock: any LabClock
    public let settings: SequencerSettings
    public let pulseSequence: PulseSequence
    public let slotLayout: SlotLayout
    /// The time tagger's name (for the faults it causes).
    public let taggerName: String
    let tagger: any TimeTagger
    /// The tag engine that checks each herald's clicks against their windows (the same engine that
    /// processes streams and files).
    private let heraldCheck: HeraldEngine
    let logger: Logger
    /// Called for every fault recovered from, when the lab works again (lab times since the run began).
    public var onFault: (@Sendable (FaultEvent) -> Void)?
    /// Clock reading at which the current run's lab time was zero.
    let runContext = RunContext()

    /// Drives `lab` with `settings`; logs through `logger` with each device's name.
    public init(lab: Lab, settings: SequencerSettings, logger: Logger) {
        precondition(lab.nodes.count == 2, "the heralding protocol links exactly two nodes")
        nodes = lab.nodes
        detectors = lab.detectors
        pulses = lab.pulses
        loop = lab.attemptLoop
        clock = lab.clock
        pulseSequence = lab.attemptSequence
        slotLayout = lab.slotLayout
        taggerName = lab.tagger.name
        tagger = lab.tagger
        // The tagger's time bin widens the windows (its sync and clicks are each truncated to it).
        heraldCheck = lab.slotLayout.heraldEngine(resolution: lab.tagger.resolution)
        self.settings = settings
        self.logger = logger
    }

    /// Identifies every device and returns name → identity.
    public func identifyDevices() async throws(SequencerError) -> [(String, DeviceIdentity)] {
        var all: [any Device] = []
        for n in nodes {
            all += [n.cooling, n.excitation, n.trap] + (n.converterPump.map { [$0] } ?? []) + (n.converterOven.map { [$0] } ?? [])
        }
        all += detectors
        all += [pulses, tagger]
        var out: [(String, DeviceIdentity)] = []
        for d in all {
            do {
                let id = try await d.identify()
                logger.info("identified", metadata: ["device": "\(d.name)", "identity": "\(id)"])
                out.append((d.name, id))
            } catch {
                throw .identification(device: d.name, message: "\(error)")
            }
        }
        return out
    }

    /// Runs the protocol until `stop` and returns what happened.
    ///
    /// Device faults do not end the run: a call that times out, gets a garbled reply or finds its device
    /// off the bus is retried with back-off (``SequencerSettings/recovery``); the periodic checks reload
    /// lost ions, re-bias latched detectors and wait out an open laser interlock; bursts whose tags the
    /// tagger lost are discarded. Each kind of fault is counted with the lab time it cost
    /// (``RunResult/faults``). A fault that outlasts the policy ends the run with ``RunResult/failure``
    /// set and everything before it counted.
    /// - Parameters:
    ///   - resuming: the totals of an earlier, interrupted part of the same run; counting and the stop
    ///     condition continue from them (the lab time of this part starts where that one ended).
    ///   - progress: called about every 2¹⁰ bursts and at the end with the result so far.
    ///   - onHerald: called for every accepted herald, after its verification, with the totals including it.
    ///   - pacing: hold lab time to this pace against the wall clock (nil: as fast as the devices go).
    /// - Throws: ``SequencerError/noStopCondition`` only; device failures end the run with ``RunResult/failure``.
    public func run(until stop: StopCondition, resuming: RunResult = RunResult(),
                    progress: (@Sendable (RunResult) -> Void)? = nil,
                    onHerald: (@Sendable (HeraldRecord, RunResult) -> Void)? = nil,
                    pacing: Pacing? = nil) async throws(SequencerError) -> RunResult {
        guard stop.attempts != nil || stop.heralds != nil || stop.labTime != nil else { throw .noStopCondition }
        var r = resuming
        let start = clock.now() - resuming.time.total
        runContext.set(start, pacing: pacing, deadline: stop.labTime.map { start + $0 })
        let wallStart = pacing?.clock.now
        do throws(SequencerError) {
            try await setUp(&r)
            var overflowSince: Duration?
            while !isDone(r, stop, start) {
                // Cancelling the run's task (for example on SIGINT) ends it between bursts, with its totals.
                if Task.isCancelled {
                    r.interrupted = true
                    break
                }
                // The slow checks: both ions by fluorescence, every detector for a latch, every laser for emission.
                if r.bursts % max(1, settings.ionCheckEvery) == 0 {
                    try await checkIons(&r)
                    try await recoverLatchedDetectors(&r)
                    try await checkLasers(&r)
                }
                let coolStart = clock.now()
                await clock.spend(settings.coolDuration)
                r.time.cooling += clock.now() - coolStart

                let attempts = burstLength(r, stop, start)
                if attempts <= 0 { break }
                let burstStart = mark(r)
                let burst: BurstResult
                do throws(SequencerError) {
                    burst = try await recovering("attempt loop", &r, { SequencerError.attemptLoop($0) }) { () async throws(AttemptLoopError) in
                        try await loop.runBurst(maxAttempts: attempts)
                    }
                } catch {
                    // A recording played to its end ends the run as a stop condition would.
                    guard case let .attemptLoop(.exhausted(why)) = error else { throw error }
                    logger.notice("no more attempts", metadata: ["device": "attempt loop", "reason": "\(why)"])
                    break
                }
                let burstTime = spent(since: burstStart, r)
                r.bursts += 1
                if burst.tagsLost {
                    // The tagger lost these tags: a herald among them could not be seen, so none of the
                    // attempts count (the success probability stays unbiased).
                    if overflowSince == nil {
                        overflowSince = burstStart.time
                        r.faults[.overflow, default: FaultTally()].count += 1
                        logger.warning("tagger overflow: discarding bursts", metadata: ["device": "\(taggerName)"])
                    }
                    r.discardedAttempts += burst.attempts
                    r.time.discarded += burstTime
                    r.faults[.overflow, default: FaultTally()].timeLost += burstTime
                } else {
                    if let since = overflowSince {
                        report(.overflow, taggerName, since: since)
                        overflowSince = nil
                    }
                    r.attempts += burst.attempts
                    r.time.attempting += burstTime
                    if let herald = burst.herald {
                        // A herald is verified and counted whole, even past the stop.
                        let deadline = runContext.deadline
                        runContext.deadline = nil
                        defer { runContext.deadline = deadline }
                        try await verify(herald, &r, since: start, onHerald: onHerald)
                    }
                }
                if r.bursts & 1023 == 0 { progress?(r) }
                if let pacing, let wallStart { await pacing.wait(lab: clock.now() - start - resuming.time.total, since: wallStart) }
            }
            runContext.deadline = nil
            try await tearDown(&r)
        } catch {
            if case .stopReached = error {
                // The stop condition came while a fault was being waited out: the run ends there, whole.
                logger.notice("lab time ran out while recovering; the run ends at its stop")
                runContext.deadline = nil
                do throws(SequencerError) { try await tearDown(&r) } catch { r.failure = "\(error)" }
            } else {
                r.failure = "\(error)"
                logger.error("run stopped by a fault it could not recover from", metadata: ["error": "\(error)"])
            }
        }
        progress?(r)
        return r
    }

    private func isDone(_ r: RunResult, _ stop: StopCondition, _ start: Duration) -> Bool {
        if let a = stop.attempts, r.attempts >= a { return true }
        if let h = stop.heralds, r.heralds >= h { return true }
        if let t = stop.labTime, clock.now() - start >= t { return true }
        return false
    }

    private func burstLength(_ r: RunResult, _ stop: StopCondition, _ start: Duration) -> Int64 {
        var n = settings.attemptsPerCool
        if let a = stop.attempts { n = min(n, a - r.attempts) }
        if let t = stop.labTime {
            let left = (t - (clock.now() - start)).inPicoseconds
            n = min(n, max(1, left / max(1, loop.attemptPeriod.inPicoseconds)))
        }
        return n
    }

    private func setUp(_ r: inout RunResult) async throws(SequencerError) {
        try await recovering(pulses.name, &r, { SequencerError.pulses($0) }) { () async throws(PulseGeneratorError) in
            try await pulses.program(pulseSequence)
        }
        for n in nodes {
            for laser in [n.cooling, n.excitation] {
                try await recovering(laser.name, &r, { SequencerError.laser($0) }) { () async throws(LaserError) in
                    try await laser.setEmission(true)
                }
            }
        }
        for d in detectors {
            try await recovering(d.name, &r, { SequencerError.detector($0) }) { () async throws(PhotonDetectorError) in
                try await d.setEnabled(true)
            }
        }
    }

    private func tearDown(_ r: inout RunResult) async throws(SequencerError) {
        for n in nodes {
            try await recovering(n.excitation.name, &r, { SequencerError.laser($0) }) { () async throws(LaserError) in
                try await n.excitation.setEmission(false)
            }
        }
    }

    /// Fluorescence check of both ions; a dark trap is reloaded.
    private func checkIons(_ r: inout RunResult) async throws(SequencerError) {
        for n in nodes {
            let check = mark(r)
            let counts = try await recovering(n.trap.name, &r, { SequencerError.trap($0) }) { () async throws(TrapControllerError) in
                try await n.trap.fluorescenceCounts(exposure: settings.ionCheckExposure)
            }
            r.time.ionChecks += spent(since: check, r)
            guard counts < settings.fluorescenceThreshold else { continue }
            r.ionLossesDetected += 1
            logger.warning("ion lost; reloading", metadata: ["device": "\(n.trap.name)", "counts": "\(counts)"])
            let reload = mark(r)
            _ = try await recovering(n.trap.name, &r, { SequencerError.trap($0) }) { () async throws(TrapControllerError) in
                try await n.trap.load(timeout: settings.loadTimeout)
            }
            r.time.loading += spent(since: reload, r)
            r.reloads += 1
            // The check that found the loss, the reload and any retries of it.
            recovered(.ionLoss, n.trap.name, since: check.time, lost: clock.now() - check.time, &r)
        }
    }

    /// Re-biases latched SNSPDs; if one latches again at its setpoint, lowers the bias in 5 % steps.
    private func recoverLatchedDetectors(_ r: inout RunResult) async throws(SequencerError) {
        for d in detectors {
            let state = try await recovering(d.name, &r, { SequencerError.detector($0) }) { () async throws(PhotonDetectorError) in
                try await d.latchState()
            }
            guard state == .latched else { continue }
            logger.warning("detector latched", metadata: ["device": "\(d.name)"])
            let start = mark(r)
            var now = try await recovering(d.name, &r, { SequencerError.detector($0) }) { () async throws(PhotonDetectorError) in
                try await d.recoverFromLatch()
            }
            var tries = 0
            while now == .latched && tries < 5 {
                tries += 1
                let bias = try await recovering(d.name, &r, { SequencerError.detector($0) }) { () async throws(PhotonDetectorError) in
                    try await d.bias()
                }
                let lowered = bias * 0.95
                guard d.biasLimit.allows(lowered) else { break }
                now = try await recovering(d.name, &r, { SequencerError.detector($0) }) { () async throws(PhotonDetectorError) in
                    try await d.setBias(lowered)
                    return try await d.recoverFromLatch()
                }
            }
            if now == .latched { throw .detector(.latchRecoveryFailed(device: d.name, attempts: tries + 1)) }
            r.latchRecoveries += 1
            r.time.recovering += spent(since: start, r)
            recovered(.latch, d.name, since: start.time, lost: clock.now() - start.time, &r)
        }
    }

    /// Checks the herald's tags against the detection windows, then measures both ions in the next
    /// basis of the cycle, tallies the aligned parity and hands the herald to `onHerald`. A herald whose
    /// qubits cannot be read (the trap stays unreachable past the recovery policy) is still counted and
    /// handed over, with eigenvalues 0, before the run stops.
    private func verify(_ herald: HeraldEvent, _ r: inout RunResult, since start: Duration,
                        onHerald: (@Sendable (HeraldRecord, RunResult) -> Void)?) async throws(SequencerError) {
        guard heraldCheck.pattern(ofAttempt: herald.tags, sync: herald.syncPicoseconds).map({ HeraldPattern.all[$0] }) == herald.pattern,
              let index = HeraldPattern.all.firstIndex(of: herald.pattern) else {
            r.rejectedHeralds += 1
            logger.warning("herald rejected: tags outside their windows",
                           metadata: ["pattern": "\(herald.pattern)", "tags": "\(herald.tags)"])
            return
        }
        r.heraldsByPattern[index] += 1
        let heraldTime = clock.now() - start
        let bases = settings.verificationBases
        let basis = bases[(r.heralds - 1) % bases.count]
        let measuring = mark(r)
        var eigen = [0, 0]
        do throws(SequencerError) {
            for (i, node) in nodes.enumerated() {
                eigen[i] = try await recovering(node.trap.name, &r, { SequencerError.trap($0) }) { () async throws(TrapControllerError) in
                    try await node.trap.measureQubit(in: basis)
                }
            }
        } catch {
            onHerald?(HeraldRecord(labTime: heraldTime, attempt: r.attempts, pattern: index, basis: basis, eigenvalueA: 0, eigenvalueB: 0,
                                   syncPicoseconds: herald.syncPicoseconds, clicks: herald.tags), r)
            throw error
        }
        r.time.verifying += spent(since: measuring, r)
        r.verification.record(basis: basis, state: herald.pattern.state, eigenvalueA: eigen[0], eigenvalueB: eigen[1])
        onHerald?(HeraldRecord(labTime: heraldTime, attempt: r.attempts, pattern: index, basis: basis, eigenvalueA: eigen[0],
                               eigenvalueB: eigen[1], syncPicoseconds: herald.syncPicoseconds, clicks: herald.tags), r)
    }
}
