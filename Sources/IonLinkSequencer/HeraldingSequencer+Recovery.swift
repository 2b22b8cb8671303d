import IonLink
import Logging

import Synchronization

/// Where the current run's lab time started on the clock, and its pacing (set by each
/// ``HeraldingSequencer/run(until:resuming:progress:onHerald:pacing:)``).
final class RunContext: Sendable {
    private let value = Mutex((Duration.zero, Pacing?.none, Duration?.none))
    func set(_ d: Duration, pacing: Pacing?, deadline: Duration?) { value.withLock { $0 = (d, pacing, deadline) } }
    var start: Duration { value.withLock { $0.0 } }
    /// The run's pacing: back-off pauses then take their share of wall time too.
    var pacing: Pacing? { value.withLock { $0.1 } }
    /// The clock reading at which the run's lab time runs out (its `--duration`), if it has one; recovery
    /// stops waiting there.
    var deadline: Duration? {
        get { value.withLock { $0.2 } }
        set { value.withLock { $0.2 = newValue } }
    }

    /// `pause`, cut short so as not to pass the deadline.
    func capped(_ pause: Duration, now: Duration) -> Duration {
        guard let end = deadline else { return pause }
        return max(.zero, min(pause, end - now))
    }
}

extension HeraldingSequencer {
    /// Counts one recovered fault of `kind` that cost `lost` of lab time, and tells ``onFault`` that
    /// `device` works again after it was noticed at clock reading `since`.
    func recovered(_ kind: RecoverableFault, _ device: String, since: Duration, lost: Duration, _ r: inout RunResult) {
        r.faults[kind, default: FaultTally()].count += 1
        r.faults[kind, default: FaultTally()].timeLost += lost
        report(kind, device, since: since)
    }

    /// Tells ``onFault`` that `device` works again after a fault noticed at clock reading `since`.
    func report(_ kind: RecoverableFault, _ device: String, since: Duration) {
        let origin = runContext.start
        onFault?(FaultEvent(kind: kind, device: device, noticed: since - origin, recovered: clock.now() - origin))
    }

    /// A moment of the run: the lab clock and the recovery time booked by then.
    struct Mark {
        let time: Duration
        let recovering: Duration
    }

    func mark(_ r: RunResult) -> Mark { Mark(time: clock.now(), recovering: r.time.recovering) }

    /// Lab time since `m`, less what retries in between have booked as recovery (so nothing is counted twice).
    func spent(since m: Mark, _ r: RunResult) -> Duration { clock.now() - m.time - (r.time.recovering - m.recovering) }

    /// Runs `call`, retrying a transient failure (``DeviceFailure/transient(_:)``) after a back-off pause
    /// that doubles from the policy's first to its longest, until it works or the policy gives up.
    /// The lab time from the first failure to the successful try goes to ``TimeBreakdown/recovering``
    /// and to the fault's tally; a permanent failure, or one that outlasts the policy, is thrown.
    func recovering<T, E: ClassifiedDeviceError>(_ device: String, _ r: inout RunResult, _ wrap: (E) -> SequencerError,
                                                 _ call: () async throws(E) -> T) async throws(SequencerError) -> T {
        let policy = settings.recovery
        var firstFailure: Duration?
        var fault = RecoverableFault.timeout
        var pause = policy.firstBackoff
        var tries = 0
        while true {
            let t0 = clock.now()
            do throws(E) {
                let value = try await call()
                if let firstFailure {
                    let lost = t0 - firstFailure
                    r.time.recovering += lost
                    recovered(fault, device, since: firstFailure, lost: lost, &r)
                    logger.notice("recovered", metadata: ["device": "\(device)", "fault": "\(fault.rawValue)", "tries": "\(tries + 1)",
                                                          "lab_time_lost_s": "\(lost.inSeconds)"])
                }
                return value
            } catch {
                guard case let .transient(kind) = error.failure else { throw wrap(error) }
                if firstFailure == nil {
                    firstFailure = t0
                    fault = kind
                    logger.warning("device fault; retrying", metadata: ["device": "\(device)", "error": "\(error)"])
                }
                tries += 1
                if let end = runContext.deadline, clock.now() >= end {
                    r.time.recovering += clock.now() - firstFailure!
                    throw .stopReached
                }
                if clock.now() - firstFailure! >= policy.giveUpAfter {
                    r.time.recovering += clock.now() - firstFailure!
                    logger.error("giving up", metadata: ["device": "\(device)", "error": "\(error)", "tries": "\(tries)"])
                    throw wrap(error)
                }
                await clock.spend(runContext.capped(pause, now: clock.now()))
                // A paced run waits out the pause on the wall clock too: what failed may be real (a node
                // of a distributed run restarting) and needs real time to come back.
                if let pacing = runContext.pacing {
                    try? await Task.sleep(for: pause / pacing.labPerWall)
                } else if policy.waitsOnWallClock {
                    try? await Task.sleep(for: pause)
                }
                pause = min(pause * 2, policy.maxBackoff)
            }
        }
    }

    /// Every laser should be emitting during a run. One that is not, with its interlock open, is waited
    /// for (the run pauses, polling with back-off) and switched on again once the loop closes.
    func checkLasers(_ r: inout RunResult) async throws(SequencerError) {
        for node in nodes {
            for laser in [node.cooling, node.excitation] {
                var status = try await recovering(laser.name, &r, { SequencerError.laser($0) }) { () async throws(LaserError) in
                    try await laser.status()
                }
                guard !status.emitting else { continue }
                let m = mark(r)
                logger.warning("laser not emitting; pausing until its interlock closes",
                               metadata: ["device": "\(laser.name)", "interlock_closed": "\(status.interlockClosed)"])
                var pause = settings.recovery.firstBackoff
                while !status.interlockClosed {
                    if let end = runContext.deadline, clock.now() >= end {
                        r.time.recovering += spent(since: m, r)
                        throw .stopReached
                    }
                    if clock.now() - m.time >= settings.recovery.giveUpAfter { throw .laser(.interlockOpen(device: laser.name)) }
                    await clock.spend(runContext.capped(pause, now: clock.now()))
                    pause = min(pause * 2, settings.recovery.maxBackoff)
                    status = try await recovering(laser.name, &r, { SequencerError.laser($0) }) { () async throws(LaserError) in
                        try await laser.status()
                    }
                }
                try await recovering(laser.name, &r, { SequencerError.laser($0) }) { () async throws(LaserError) in
                    try await laser.setEmission(true)
                }
                // Everything since the laser was found dark, less what nested retries already booked.
                r.time.recovering += spent(since: m, r)
                recovered(.interlock, laser.name, since: m.time, lost: clock.now() - m.time, &r)
                logger.notice("emission restored", metadata: ["device": "\(laser.name)", "paused_s": "\((clock.now() - m.time).inSeconds)"])
            }
        }
    }
}
