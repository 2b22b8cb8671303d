// ionlink-bench: simulated attempts per second, event skipping vs a per-attempt Bernoulli loop
// measured in the same run, and the whole sequencer on the default lab.
// Run: swift run -c release ionlink-bench
import Foundation
import IonLink
import IonLinkPhysics
import IonLinkSequencer
import IonLinkSimulation
import Logging

let clock = ContinuousClock()

func models(successProbability p: Double) -> [HeraldModel] {
    let eta = (2 * p).squareRoot()
    let node = NodeEmission(excitation: .one, doubleExcitation: .zero, perPhoton: Probability(unchecked: eta))
    return (0..<4).map { bits in
        HeraldModel(nodeA: bits & 1 != 0 ? node : .dark, nodeB: bits & 2 != 0 ? node : .dark, visibility: .one,
                    darkClickPerSlot: Probability(unchecked: 1e-7))
    }
}

/// Event-skipping engine: attempts per second of host time on one core.
func skipping(p: Double, heralds: Int) async throws -> (rate: Double, attempts: Int64) {
    let world = SimulatedWorld(seed: 1)
    world.withState { $0.excitationOn = [true, true] }
    let loop = SimulatedAttemptLoop(models: models(successProbability: p), attemptPeriod: .microseconds(1),
                                    lossProbability: [.zero, .zero], world: world, tagger: nil,
                                    layout: .polarization(channels: [0, 1, 2, 3], photonDelay: .nanoseconds(50),
                                                          windowStart: .zero, windowLength: .nanoseconds(20)),
                                    lifetime: .picoseconds(7_855), jitter: .picoseconds(30))
    var attempts: Int64 = 0, seen = 0
    let start = clock.now
    while seen < heralds {
        let r = try await loop.runBurst(maxAttempts: 1 << 40)
        attempts += r.attempts
        if r.herald != nil { seen += 1 }
    }
    let s = (clock.now - start).inSeconds
    return (Double(attempts) / s, attempts)
}

/// The peer: one Bernoulli draw per attempt (what a simulator without event skipping does at best).
func perAttempt(p: Double, attempts: Int64) -> (rate: Double, heralds: Int) {
    var rng = SeededGenerator(seed: 1)
    var heralds = 0
    let start = clock.now
    for _ in 0..<attempts where rng.nextUnit() < p { heralds += 1 }
    let s = (clock.now - start).inSeconds
    return (Double(attempts) / s, heralds)
}

func sequencerRate() async throws -> (attemptsPerSecond: Double, labSeconds: Double, heralds: Int) {
    let config = try LabConfig.parse(yaml: LabConfig.defaultYAML(), speciesKeys: Species.presets.keys.sorted())
    let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
    let lab = try SimulatedLab(config: config, seed: 1, logger: logger)
    let settings = SequencerSettings(timing: config.timing)
    let seq = HeraldingSequencer(lab: lab.lab, settings: settings, logger: logger)
    let start = clock.now
    let r = try await seq.run(until: StopCondition(labTime: .seconds(600)))
    let s = (clock.now - start).inSeconds
    return (Double(r.attempts) / s, r.time.total.inSeconds, r.heralds)
}

let machine = "\(ProcessInfo.processInfo.activeProcessorCount) cores, "
    + String(format: "%.0f GiB", Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824)
print("ionlink-bench on \(machine)")
print("P/attempt  event-skipping attempts/s   per-attempt loop attempts/s   ratio")
for (p, heralds) in [(1e-4, 200_000), (1e-2, 200_000)] {
    let fast = try await skipping(p: p, heralds: heralds)
    let slow = perAttempt(p: p, attempts: min(fast.attempts, 400_000_000))
    print(String(format: "%-9.0e  %26.3e   %27.3e   %5.0f×", p, fast.rate, slow.rate, fast.rate / slow.rate))
}
let seq = try await sequencerRate()
print(String(format: "sequencer, default lab: %.3e attempts/s of host time (%.0f s of lab time, %d heralds)",
             seq.attemptsPerSecond, seq.labSeconds, seq.heralds))
