import Foundation
import IonLink
import IonLinkPhysics
import IonLinkSequencer
import IonLinkSimulation
import Logging

func models(successProbability p: Double) -> [HeraldModel] {
    let eta = (2 * p).squareRoot()
    let node = NodeEmission(excitation: .one, doubleExcitation: .zero, perPhoton: Probability(unchecked: eta))
    return (0..<4).map { bits in
        HeraldModel(nodeA: bits & 1 != 0 ? node : .dark, nodeB: bits & 2 != 0 ? node : .dark, visibility: .one,
                    darkClickPerSlot: Probability(unchecked: 1e-7))
    }
}

func makeLoop(p: Double) -> SimulatedAttemptLoop {
    let world = SimulatedWorld(seed: 1)
    world.withState { $0.excitationOn = [true, true] }
    return SimulatedAttemptLoop(models: models(successProbability: p), attemptPeriod: .microseconds(1),
                                lossProbability: [.zero, .zero], world: world, tagger: nil,
                                layout: .polarization(channels: [0, 1, 2, 3], photonDelay: .nanoseconds(50),
                                                      windowStart: .zero, windowLength: .nanoseconds(20)),
                                lifetime: .picoseconds(7_855), jitter: .picoseconds(30))
}

/// Attempts per second of host time until `heralds` heralds, with or without event skipping.
func rate(p: Double, heralds: Int, skipping: Bool) async throws -> Double {
    let loop = makeLoop(p: p)
    var attempts: Int64 = 0, seen = 0
    let start = ContinuousClock.now
    while seen < heralds {
        let r = skipping ? try await loop.runBurst(maxAttempts: 1 << 40)
                         : try await loop.runBurstWithoutSkipping(maxAttempts: 1 << 40)
        attempts += r.attempts
        if r.herald != nil { seen += 1 }
    }
    return Double(attempts) / (ContinuousClock.now - start).inSeconds
}

func sequencerRate() async throws -> (attemptsPerSecond: Double, labSeconds: Double, heralds: Int) {
    let config = try LabConfig.parse(yaml: LabConfig.defaultYAML(), speciesKeys: Species.presets.keys.sorted())
    let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
    let lab = try SimulatedLab(config: config, seed: 1, logger: logger)
    let settings = SequencerSettings(timing: config.timing)
    let seq = HeraldingSequencer(lab: lab.lab, settings: settings, logger: logger)
    let start = ContinuousClock.now
    let r = try await seq.run(until: StopCondition(labTime: .seconds(600)))
    let s = (ContinuousClock.now - start).inSeconds
    return (Double(r.attempts) / s, r.time.total.inSeconds, r.heralds)
}

/// Event skipping vs attempt by attempt at two success probabilities, and the whole sequencer.
func runSimulationBenchmark() async throws {
    print("P/attempt  event-skipping attempts/s   attempt-by-attempt attempts/s   ratio")
    // The attempt-by-attempt peer gets fewer heralds at 10⁻⁴ so that it finishes in about a second.
    for (p, heralds, peerHeralds) in [(1e-4, 200_000, 5_000), (1e-2, 200_000, 200_000)] {
        let fast = try await rate(p: p, heralds: heralds, skipping: true)
        let slow = try await rate(p: p, heralds: peerHeralds, skipping: false)
        print(String(format: "%-9.0e  %26.3e   %29.3e   %5.1f×", p, fast, slow, fast / slow))
    }
    let seq = try await sequencerRate()
    print(String(format: "sequencer, default lab: %.3e attempts/s of host time (%.0f s of lab time, %d heralds)",
                 seq.attemptsPerSecond, seq.labSeconds, seq.heralds))
}
