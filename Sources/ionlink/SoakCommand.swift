import ArgumentParser
import Foundation
import IonLink
import IonLinkSequencer
import IonLinkSimulation
import Logging
import Synchronization

/// `ionlink soak`: a long simulated run of the default lab under a fault plan that mixes every fault
/// (a process kill aside: `fault-matrix` covers that), sampling the process's memory, files and threads
/// every simulated hour, and checking the counts against the model.
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Run the default lab for a long stretch of lab time under mixed faults; report counts, memory, files and threads.")

    @Option(help: "Lab time to run (e.g. 24h).")
    var duration: LabDuration = LabDuration(.seconds(24 * 3600))

    @Option(help: "Seed of the simulation.")
    var seed: UInt64 = 1

    @Option(help: "Fault plan YAML (default: the mixed plan that `--print-plan` shows).")
    var faults: String?

    @Flag(help: "Print the default mixed fault plan and exit.")
    var printPlan = false

    @Option(help: "Sample the process every this much lab time.")
    var sampleEvery: LabDuration = LabDuration(.seconds(3600))

    /// Every fault kind except `kill`, each recurring (hourly, latches every half hour, ion-loss bursts every two hours).
    static let mixedPlan = """
        faults:
          - { at_s: 300,  device: nodeA.cooling,    fault: timeout,    count: 3,  repeat_every_s: 3600 }
          - { at_s: 900,  device: nodeB.trap,       fault: garbage,    count: 2,  repeat_every_s: 3600 }
          - { at_s: 1500, device: hub.detector1,    fault: disconnect, for_s: 5,  repeat_every_s: 3600 }
          - { at_s: 2100, device: hub.detector2,    fault: latch,                 repeat_every_s: 1800 }
          - { at_s: 2400, device: nodeA.excitation, fault: interlock,  for_s: 30, repeat_every_s: 3600 }
          - { at_s: 2700, device: hub.tagger,       fault: overflow,   for_s: 2,  repeat_every_s: 3600 }
          - { at_s: 3300, device: nodeB.trap,       fault: ion_loss,   count: 3,  every_s: 120, repeat_every_s: 7200 }

        """

    func run() async throws {
        if printPlan {
            print(Self.mixedPlan, terminator: "")
            return
        }
        let logger = Logger(label: "ionlink") { _ in SwiftLogNoOpLogHandler() }
        let planText = try faults.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? Self.mixedPlan
        let config = try parseLabConfig(LabConfig.defaultYAML())
        let sim = try SimulatedLab(config: config, seed: seed, logger: logger)
        let injector = try FaultInjector(plan: FaultPlan.parse(yaml: planText), devices: sim.lab.wrappableDeviceNames,
                                         knobs: sim.faultKnobs, clock: sim.world.clock) {}
        let lab = sim.lab.injectingFaults(injector)
        let before = ProcessResources.now()
        let wall = ContinuousClock(), wallStart = wall.now
        let samples = Mutex<[(lab: Duration, resources: ProcessResources, heralds: Int)]>([])
        let every = sampleEvery.duration
        let sequencer = HeraldingSequencer(lab: lab, settings: SequencerSettings(timing: config.timing), logger: logger)
        let heralds = Mutex(0)
        let result = try await sequencer.run(until: StopCondition(labTime: duration.duration), progress: { r in
            samples.withLock { s in
                let next = every * (s.count + 1)
                if r.time.total >= next { s.append((r.time.total, ProcessResources.now(), r.heralds)) }
            }
        }, onHerald: { _, _ in heralds.withLock { $0 += 1 } })
        let wallSeconds = (wall.now - wallStart).inSeconds
        let after = ProcessResources.now()
        let report = SoakReport(result: result, lab: sim, loop: lab.attemptLoop as? FaultInjectingAttemptLoop, handed: heralds.withLock { $0 },
                                samples: samples.withLock { $0 }, before: before, after: after, wallSeconds: wallSeconds,
                                injected: injector.log.filter { $0.what == "begin" || $0.kind.isWrapperFault }.count)
        print(report.text())
        if !report.passed { throw ExitCode(1) }
    }
}
