import ArgumentParser
import Foundation
import IonLink
import IonLinkAssembly
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
        let assembled = try await LabBuilder(logger: logger).build(config, seed: seed)
        let request = RunRequest(seed: seed, stop: StopCondition(labTime: duration.duration), faults: try FaultPlan.parse(yaml: planText))
        let session = try await RunSession.prepare(assembled, request: request, logger: logger)
        let sampler = SoakSampler(every: sampleEvery.duration)
        let before = ProcessResources.now()
        let wall = ContinuousClock(), wallStart = wall.now
        let (_, result) = try await session.runWithTotals(observers: [sampler])
        let report = SoakReport(result: result, lab: assembled.model, loop: session.lab.attemptLoop as? FaultInjectingAttemptLoop,
                                handed: sampler.heralds, samples: sampler.samples, before: before, after: ProcessResources.now(),
                                wallSeconds: (wall.now - wallStart).inSeconds,
                                injected: session.injector?.log.filter { $0.what == "begin" || $0.kind.isWrapperFault }.count ?? 0)
        print(report.text())
        if !report.passed { throw ExitCode(1) }
    }
}

/// The soak's view of the run: the process's resources every `every` of lab time, and the heralds handed over.
final class SoakSampler: RunObserver {
    let every: Duration
    private let state = Mutex((samples: [(lab: Duration, resources: ProcessResources, heralds: Int)](), heralds: 0))

    init(every: Duration) { self.every = every }

    var samples: [(lab: Duration, resources: ProcessResources, heralds: Int)] { state.withLock { $0.samples } }
    var heralds: Int { state.withLock { $0.heralds } }

    func progress(_ r: RunResult) {
        state.withLock { s in
            if r.time.total >= every * (s.samples.count + 1) { s.samples.append((r.time.total, ProcessResources.now(), r.heralds)) }
        }
    }

    func herald(_ herald: HeraldRecord, totals: RunResult) { state.withLock { $0.heralds += 1 } }
}
