import Logging
import Testing
import IonLink
import IonLinkPhysics
import IonLinkSimulation
@testable import IonLinkSequencer

/// An attempt loop standing in for hardware: it reports a herald every burst, with tags the test chooses.
struct ScriptedAttemptLoop: AttemptLoop {
    let attemptPeriod: Duration = .microseconds(1)
    let clock: VirtualClock
    let tags: @Sendable (Int64) -> [TimeTag]
    let pattern: HeraldPattern

    func runBurst(maxAttempts: Int64) async throws(AttemptLoopError) -> BurstResult {
        let sync = clock.nowPicoseconds
        clock.advance(by: attemptPeriod)
        return BurstResult(attempts: 1, herald: HeraldEvent(attemptIndex: 0, pattern: pattern, tags: tags(sync), syncPicoseconds: sync))
    }
}

@Suite struct MixedDeviceTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// The default simulated lab with its attempt loop replaced, and a sequencer for it.
    func sequencer(with loop: (VirtualClock, SlotLayout) -> any AttemptLoop) throws -> HeraldingSequencer {
        let config = try LabConfig.parse(yaml: LabConfig.defaultYAML(), speciesKeys: Species.presets.keys.sorted())
        let sim = try SimulatedLab(config: config, seed: 1, logger: logger)
        var lab = sim.lab
        lab.attemptLoop = loop(sim.world.clock, lab.slotLayout)
        return HeraldingSequencer(lab: lab, settings: SequencerSettings(timing: config.timing), logger: logger)
    }

    @Test func heraldsOutsideTheirWindowsAreRejected() async throws {
        let pattern = HeraldPattern.all[0]
        let seq = try sequencer { clock, layout in
            ScriptedAttemptLoop(clock: clock, tags: { sync in
                // c0 inside its window, d1 a microsecond late.
                [TimeTag(channel: layout.channelOfSlot[0], picoseconds: sync + layout.windowOpens(0) + 10),
                 TimeTag(channel: layout.channelOfSlot[3], picoseconds: sync + layout.windowOpens(3) + 1_000_000)]
            }, pattern: pattern)
        }
        let r = try await seq.run(until: StopCondition(attempts: 20))
        #expect(r.heralds == 0)
        #expect(r.rejectedHeralds == 20)
    }

    @Test func heraldsInsideTheirWindowsAreVerified() async throws {
        let pattern = HeraldPattern.all[2]
        let seq = try sequencer { clock, layout in
            ScriptedAttemptLoop(clock: clock, tags: { sync in
                [TimeTag(channel: layout.channelOfSlot[0], picoseconds: sync + layout.windowOpens(0) + 10),
                 TimeTag(channel: layout.channelOfSlot[1], picoseconds: sync + layout.windowOpens(1) + 5_000)]
            }, pattern: pattern)
        }
        let r = try await seq.run(until: StopCondition(attempts: 30))
        #expect(r.heralds == 30 && r.rejectedHeralds == 0)
        #expect(r.heralds(of: .psiPlus) == 30)
        #expect(r.verification.shots.values.reduce(0, +) == 30)
    }
}
