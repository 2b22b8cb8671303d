import Foundation
import Logging
import Synchronization
import Testing
import IonLink
import IonLinkPhysics
import IonLinkSimulation
@testable import IonLinkSequencer

/// Faults injected by a fault plan into the simulated lab: each is recovered from, no herald is lost
/// or counted twice, and the lab time it cost is accounted for.
@Suite struct FaultRecoveryTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    struct Outcome {
        var result: RunResult
        var lab: SimulatedLab
        var loop: FaultInjectingAttemptLoop
        var injector: FaultInjector
        var handed: [HeraldRecord]
        var events: [FaultEvent]
    }

    func run(_ plan: FaultPlan, seed: UInt64 = 3, labTime: Duration = .seconds(40),
             policy: RecoveryPolicy = RecoveryPolicy()) async throws -> Outcome {
        let c = try LabConfig.parse(yaml: LabConfig.defaultYAML(), speciesKeys: Species.presets.keys.sorted())
        let sim = try SimulatedLab(config: c, seed: seed, logger: logger)
        let injector = try FaultInjector(plan: plan, devices: sim.lab.wrappableDeviceNames, knobs: sim.faultKnobs,
                                         clock: sim.world.clock) { Issue.record("kill is not in this plan") }
        let lab = sim.lab.injectingFaults(injector)
        var settings = SequencerSettings(timing: c.timing)
        settings.recovery = policy
        var seq = HeraldingSequencer(lab: lab, settings: settings, logger: logger)
        let handed = Mutex<[HeraldRecord]>([]), events = Mutex<[FaultEvent]>([])
        seq.onFault = { e in events.withLock { $0.append(e) } }
        let r = try await seq.run(until: StopCondition(labTime: labTime), onHerald: { h, _ in handed.withLock { $0.append(h) } })
        return Outcome(result: r, lab: sim, loop: try #require(lab.attemptLoop as? FaultInjectingAttemptLoop), injector: injector,
                       handed: handed.withLock { $0 }, events: events.withLock { $0 })
    }

    /// What every run must show, faults or not.
    func checkNothingLostOrDoubled(_ o: Outcome) {
        let r = o.result, produced = o.loop.totals
        #expect(produced.heralds == r.heralds + r.rejectedHeralds,
                "every herald the loop reported was counted once (or rejected)")
        #expect(produced.attempts == r.attempts + r.discardedAttempts, "every attempt counted or discarded")
        #expect(o.handed.count == r.heralds, "every counted herald handed to the record")
        #expect(zip(o.handed, o.handed.dropFirst()).allSatisfy { $0.attempt < $1.attempt }, "no herald twice")
        #expect(r.time.total == o.lab.world.clock.now(), "every picosecond of lab time accounted for: \(r.time) vs \(o.lab.world.clock.now())")
        // P = heralds / attempts stays the model's within 4σ: discarding overflowed bursts keeps it unbiased.
        let p = o.lab.budget.model.heraldProbability
        #expect(abs(r.successProbability - p) < 4 * p / Double(max(1, r.heralds)).squareRoot(), "P \(r.successProbability) vs model \(p)")
    }

    static let cases: [(ScheduledFault, RecoverableFault)] = [
        (ScheduledFault(at: .seconds(5), device: "nodeA.cooling", kind: .timeout, count: 3), .timeout),
        (ScheduledFault(at: .seconds(5), device: "nodeB.trap", kind: .garbage, count: 2), .malformedReply),
        (ScheduledFault(at: .seconds(5), device: "hub.detector1", kind: .disconnect, duration: .seconds(3)), .disconnected),
        (ScheduledFault(at: .seconds(5), device: "hub.detector2", kind: .latch), .latch),
        (ScheduledFault(at: .seconds(5), device: "nodeA.excitation", kind: .interlock, duration: .seconds(4)), .interlock),
        (ScheduledFault(at: .seconds(5), device: "hub.tagger", kind: .overflow, duration: .seconds(2)), .overflow),
        (ScheduledFault(at: .seconds(5), device: "nodeB.trap", kind: .ionLoss, count: 2, spacing: .seconds(60)), .ionLoss),
    ]

    @Test(arguments: 0..<7) func eachFaultIsRecoveredWithNothingLost(_ i: Int) async throws {
        let (fault, expected) = Self.cases[i]
        let o = try await run(FaultPlan([fault]))
        let r = o.result
        #expect(r.failure == nil, "\(fault.kind): \(r.failure ?? "")")
        #expect(r.faults[expected]?.count ?? 0 >= 1, "\(fault.kind) recovered as \(expected): \(r.faults)")
        #expect(o.injector.log.contains { $0.kind == fault.kind && $0.device == fault.device })
        let event = try #require(o.events.first { $0.kind == expected }, "\(o.events)")
        #expect(event.device == fault.device && event.noticed >= fault.at && event.recovered >= event.noticed)
        if fault.kind == .interlock { #expect(event.recovered >= fault.at + fault.duration, "waited for the interlock to close") }
        if fault.kind == .overflow { #expect(r.discardedAttempts > 0 && r.time.discarded > .zero) }
        if fault.kind == .ionLoss { #expect(r.reloads >= 1 && o.lab.world.withState { $0.ionPresent == [true, true] }) }
        #expect(r.heralds > 1_000, "heralding went on after the fault")
        checkNothingLostOrDoubled(o)
    }

    @Test func everyFaultAtOnceInOneRun() async throws {
        let o = try await run(FaultPlan(Self.cases.map(\.0)), seed: 8, labTime: .seconds(60))
        #expect(o.result.failure == nil)
        #expect(Set(o.result.faults.keys).isSuperset(of: Set(Self.cases.map(\.1))), "\(o.result.faults.keys)")
        checkNothingLostOrDoubled(o)
    }

    @Test func aFaultOutlastingThePolicyEndsTheRunWithEverythingKept() async throws {
        let plan = FaultPlan([ScheduledFault(at: .seconds(3), device: "hub.detector1", kind: .disconnect, duration: .seconds(10_000))])
        let o = try await run(plan, policy: RecoveryPolicy(giveUpAfter: .seconds(30)))
        let failure = try #require(o.result.failure)
        #expect(failure.contains("hub.detector1") && failure.contains("disconnected"))
        #expect(o.result.heralds > 0 && o.handed.count == o.result.heralds)
        #expect(o.result.time.recovering >= .seconds(30))
        #expect(o.result.time.total == o.lab.world.clock.now())
    }

    /// The stop condition holds during recovery: an interlock open from 20 s for 100 s, or one that never
    /// closes, in a 45 s run ends the run at 45 s of lab time (it used to wait the interlock out, or the
    /// whole give-up), not as a failure, with the wait booked as recovery and every picosecond accounted.
    @Test(arguments: [Duration.seconds(100), .seconds(100_000)]) func theStopConditionHoldsDuringRecovery(_ open: Duration) async throws {
        let o = try await run(FaultPlan([ScheduledFault(at: .seconds(20), device: "nodeA.excitation", kind: .interlock, duration: open)]),
                              labTime: .seconds(45))
        #expect(o.result.failure == nil, "\(o.result.failure ?? "")")
        #expect(o.result.time.total >= .seconds(45) && o.result.time.total < .milliseconds(45_500), "ended at \(o.result.time.total)")
        #expect(o.result.time.recovering > .seconds(20), "the wait is recovery: \(o.result.time.recovering)")
        #expect(o.result.time.total == o.lab.world.clock.now())
        #expect(o.result.heralds > 0 && o.handed.count == o.result.heralds)
    }

    @Test func backOffDoublesUpToItsLimit() async throws {
        // Ten timeouts in a row at 0.5 s each, pauses 0.1, 0.2, 0.4, 0.8, 0.8, … (limit 0.8 s).
        let plan = FaultPlan([ScheduledFault(at: .seconds(2), device: "nodeB.cooling", kind: .timeout, count: 10)])
        // (The 11.3 s of recovery from 2 s fits the 20 s run: the stop would end it otherwise.)
        let o = try await run(plan, labTime: .seconds(20),
                              policy: RecoveryPolicy(firstBackoff: .milliseconds(100), maxBackoff: .milliseconds(800)))
        let pauses = [0.1, 0.2, 0.4] + Array(repeating: 0.8, count: 7)
        let expected = 10 * 0.5 + pauses.reduce(0, +)
        #expect(abs((o.result.faults[.timeout]?.timeLost.inSeconds ?? 0) - expected) < 1e-9, "\(o.result.faults)")
        checkNothingLostOrDoubled(o)
    }
}
