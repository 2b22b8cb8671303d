import IonLink
import IonLinkTags
import Logging

/// The remote-entanglement protocol, driven only through the device protocols:
/// Doppler cool → (pump → excite → detect) × N on the attempt loop → on a herald whose tags fall in
/// their slots' windows after the attempt's sync, verify both ions in one of ZZ, XX, YY → cool again.
/// Every few bursts it checks both ions by fluorescence, reloads a lost one, and recovers latched
/// detectors.
public struct HeraldingSequencer: Sendable {
    public let nodes: [LabNode]
    public let detectors: [any PhotonDetector]
    public let pulses: any PulseGenerator
    public let loop: any AttemptLoop
    public let clock: any LabClock
    public let settings: SequencerSettings
    public let pulseSequence: PulseSequence
    public let slotLayout: SlotLayout
    /// The tag engine that checks each herald's clicks against their windows (the same engine that
    /// processes streams and files).
    private let heraldCheck: HeraldEngine
    private let logger: Logger

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
        heraldCheck = lab.slotLayout.heraldEngine()
        self.settings = settings
        self.logger = logger
    }

    /// Identifies every device and returns name → identity.
    public func identifyDevices() async throws(SequencerError) -> [(String, DeviceIdentity)] {
        var all: [any Device] = []
        for n in nodes { all += [n.cooling, n.excitation, n.trap] }
        all += detectors
        all.append(pulses)
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
    /// - Parameters:
    ///   - resuming: the totals of an earlier, interrupted part of the same run; counting and the stop
    ///     condition continue from them (the lab time of this part starts where that one ended).
    ///   - progress: called about every 2¹⁰ bursts and at the end with the result so far.
    ///   - onHerald: called for every accepted herald, after its verification, with the totals including it.
    ///   - pacing: hold lab time to this pace against the wall clock (nil: as fast as the devices go).
    public func run(until stop: StopCondition, resuming: RunResult = RunResult(),
                    progress: (@Sendable (RunResult) -> Void)? = nil,
                    onHerald: (@Sendable (HeraldRecord, RunResult) -> Void)? = nil,
                    pacing: Pacing? = nil) async throws(SequencerError) -> RunResult {
        guard stop.attempts != nil || stop.heralds != nil || stop.labTime != nil else { throw .noStopCondition }
        var r = resuming
        let start = clock.now() - resuming.time.total
        let wallStart = pacing?.clock.now
        try await setUp()
        while !isDone(r, stop, start) {
            // Cancelling the run's task (for example on SIGINT) ends it between bursts, with its totals.
            if Task.isCancelled {
                r.interrupted = true
                break
            }
            // The slow checks: both ions by fluorescence, every detector for a latch.
            if r.bursts % max(1, settings.ionCheckEvery) == 0 {
                try await checkIons(&r)
                try await recoverLatchedDetectors(&r)
            }
            let coolStart = clock.now()
            await clock.spend(settings.coolDuration)
            r.time.cooling += clock.now() - coolStart

            let attempts = burstLength(r, stop, start)
            if attempts <= 0 { break }
            let burstStart = clock.now()
            let burst: BurstResult
            do { burst = try await loop.runBurst(maxAttempts: attempts) } catch { throw .attemptLoop(error) }
            r.attempts += burst.attempts
            r.bursts += 1
            r.time.attempting += clock.now() - burstStart
            if let herald = burst.herald, let record = try await verify(herald, &r, since: start) { onHerald?(record, r) }
            if r.bursts & 1023 == 0 { progress?(r) }
            if let pacing, let wallStart { await pacing.wait(lab: clock.now() - start - resuming.time.total, since: wallStart) }
        }
        try await tearDown()
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

    private func setUp() async throws(SequencerError) {
        do { try await pulses.program(pulseSequence) } catch { throw .pulses(error) }
        for n in nodes {
            do {
                try await n.cooling.setEmission(true)
                try await n.excitation.setEmission(true)
            } catch { throw .laser(error) }
        }
        for d in detectors {
            do { try await d.setEnabled(true) } catch { throw .detector(error) }
        }
    }

    private func tearDown() async throws(SequencerError) {
        for n in nodes {
            do { try await n.excitation.setEmission(false) } catch { throw .laser(error) }
        }
    }

    /// Fluorescence check of both ions; a dark trap is reloaded.
    private func checkIons(_ r: inout RunResult) async throws(SequencerError) {
        for n in nodes {
            let t0 = clock.now()
            let counts: Int
            do { counts = try await n.trap.fluorescenceCounts(exposure: settings.ionCheckExposure) } catch { throw .trap(error) }
            r.time.ionChecks += clock.now() - t0
            guard counts < settings.fluorescenceThreshold else { continue }
            r.ionLossesDetected += 1
            logger.warning("ion lost; reloading", metadata: ["device": "\(n.trap.name)", "counts": "\(counts)"])
            let t1 = clock.now()
            do { _ = try await n.trap.load(timeout: settings.loadTimeout) } catch { throw .trap(error) }
            r.time.loading += clock.now() - t1
            r.reloads += 1
        }
    }

    /// Re-biases latched SNSPDs; if one latches again at its setpoint, lowers the bias in 5 % steps.
    private func recoverLatchedDetectors(_ r: inout RunResult) async throws(SequencerError) {
        for d in detectors {
            do throws(PhotonDetectorError) {
                guard try await d.latchState() == .latched else { continue }
                logger.warning("detector latched", metadata: ["device": "\(d.name)"])
                var state = try await d.recoverFromLatch()
                var tries = 0
                while state == .latched && tries < 5 {
                    tries += 1
                    let lowered = try await d.bias() * 0.95
                    guard d.biasLimit.allows(lowered) else { break }
                    try await d.setBias(lowered)
                    state = try await d.recoverFromLatch()
                }
                if state == .latched { throw PhotonDetectorError.latchRecoveryFailed(device: d.name, attempts: tries + 1) }
                r.latchRecoveries += 1
            } catch { throw .detector(error) }
        }
    }

    /// Checks the herald's tags against the detection windows, then measures both ions in the next
    /// basis of the cycle and tallies the aligned parity.
    private func verify(_ herald: HeraldEvent, _ r: inout RunResult, since start: Duration) async throws(SequencerError) -> HeraldRecord? {
        guard heraldCheck.pattern(ofAttempt: herald.tags, sync: herald.syncPicoseconds).map({ HeraldPattern.all[$0] }) == herald.pattern,
              let index = HeraldPattern.all.firstIndex(of: herald.pattern) else {
            r.rejectedHeralds += 1
            logger.warning("herald rejected: tags outside their windows",
                           metadata: ["pattern": "\(herald.pattern)", "tags": "\(herald.tags)"])
            return nil
        }
        r.heraldsByPattern[index] += 1
        let heraldTime = clock.now() - start
        r.heraldTimes.append(heraldTime)
        let bases = settings.verificationBases
        let basis = bases[(r.heralds - 1) % bases.count]
        let t0 = clock.now()
        let a: Int, b: Int
        do {
            a = try await nodes[0].trap.measureQubit(in: basis)
            b = try await nodes[1].trap.measureQubit(in: basis)
        } catch { throw .trap(error) }
        r.time.verifying += clock.now() - t0
        r.verification.record(basis: basis, state: herald.pattern.state, eigenvalueA: a, eigenvalueB: b)
        return HeraldRecord(labTime: heraldTime, attempt: r.attempts, pattern: index, basis: basis, eigenvalueA: a, eigenvalueB: b,
                            syncPicoseconds: herald.syncPicoseconds, clicks: herald.tags)
    }
}
