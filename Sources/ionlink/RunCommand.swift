import ArgumentParser
import Foundation
import IonLink
import IonLinkSequencer
import IonLinkSimulation
import IonLinkRecords
import IonLinkRemote
import IonLinkTags
import Logging
import Synchronization

/// `ionlink run`: a heralded remote-entanglement run on the configured lab.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run heralded remote entanglement on a lab (the built-in simulated lab by default).")

    @Option(help: "Lab YAML (default: the built-in lab; see `ionlink default-config`).")
    var config: String?

    @Option(help: "Seed of the simulation's random stream; the same seed gives the same result.")
    var seed: UInt64 = 1

    @OptionGroup var stopping: StopOptions

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(help: "Write the tagger's stream (each herald's sync and clicks) to this PTU file; channel 0 is the sync.")
    var tags: String?

    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    @Option(help: "The HDF5 run record to write (default: runs/run-<UTC time>-seed<seed>.h5).")
    var record: String?

    @Flag(help: "Write no run record.")
    var noRecord = false

    @Flag(help: "Keep the raw tag stream in the run record (/tags).")
    var recordTags = false

    @Option(help: "Continue the killed run whose record is this file (its config, seed and stop condition).")
    var resume: String?

    @Option(help: "Inject the faults of this fault plan (YAML; README, \"Faults and recovery\").")
    var faults: String?

    @Option(help: "Hold the simulation to this many seconds of lab time per second of wall time (1: real time).")
    var pace: Double?

    func validate() throws {
        if let p = pace, !(p > 0 && p.isFinite) { throw ValidationError("--pace must be a positive number") }
        if resume != nil && (config != nil || !stopping.isEmpty || record != nil || noRecord) {
            throw ValidationError("--resume takes the config, seed and stop condition from the record; give none of them")
        }
    }

    func fail(_ error: any Error, code: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        return ExitCode(code)
    }

    func run() async throws {
        let level = logLevel
        let logger = Logger(label: "ionlink") { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        // A resumed run takes everything from its record; a new one from the flags.
        var resumed: RunRecorder.Resumption?
        if let resume {
            do { resumed = try RunRecorder.resume(path: resume) } catch { throw fail(error, code: 2) }
        }
        var configText: String
        let labConfig: LabConfig, lab: SimulatedLab
        var distributed: DistributedConfig?
        let runSeed = resumed?.metadata.seed ?? seed
        // The continuation of a resumed run draws a fresh stream, fixed by where it resumes.
        let streamSeed = resumed.map { base -> UInt64 in
            var g = SeededGenerator(seed: runSeed ^ UInt64(bitPattern: base.totals.attempts))
            return g.next()
        } ?? seed
        do {
            configText = try resumed?.metadata.configYAML ?? loadLabConfigText(path: config)
            if let config, DistributedConfig.describes(yaml: configText) {
                // A distributed run: the nodes serve the devices; the lab YAML gives timing and the model.
                let d = try DistributedConfig.parse(yaml: configText, folder: (config as NSString).deletingLastPathComponent)
                guard faults == nil else { throw ValidationError("--faults is for single-process runs; a distributed run's nodes are real processes to disturb") }
                configText = try loadLabConfigText(path: d.lab)
                distributed = d
            }
            labConfig = try parseLabConfig(configText)
            lab = try SimulatedLab(config: labConfig, seed: streamSeed, logger: logger)
        } catch { throw fail(error, code: 2) }
        let settings = SequencerSettings(timing: labConfig.timing)
        let stop = resumed?.metadata.stop ?? stopping.condition
        var wired: Lab
        var injector: FaultInjector?
        var remote: DistributedLab?
        do {
            if let distributed {
                remote = try await DistributedLab.connect(distributed, template: lab.lab, seed: runSeed, logger: logger)
                wired = remote!.lab
            } else {
                wired = labConfig.devices.isEmpty ? lab.lab : try await DeviceBinder.bind(labConfig, onto: lab, logger: logger)
            }
            if let faults {
                let plan = try FaultPlan.parse(yaml: String(contentsOfFile: faults, encoding: .utf8))
                injector = try FaultInjector(plan: plan, devices: wired.wrappableDeviceNames, knobs: lab.faultKnobs, clock: lab.world.clock,
                                                 runTimeAtStart: resumed?.totals.time.total ?? .zero) {
                    // The plan's `kill`: the process dies as under `kill -9`, with no chance to tidy up.
                    kill(getpid(), SIGKILL)
                }
                wired = wired.injectingFaults(injector!)
            }
        } catch { throw fail(error, code: 2) }
        var configured = HeraldingSequencer(lab: wired, settings: settings, logger: logger)
        let faultEvents = Mutex<[FaultEvent]>([])
        if injector != nil { configured.onFault = { e in faultEvents.withLock { $0.append(e) } } }
        let sequencer = configured
        var identities: [(String, DeviceIdentity)] = []
        do { identities = try await sequencer.identifyDevices() } catch { throw fail(error, code: 1) }

        var recording: RunRecording?
        do {
            if let resumed {
                recording = RunRecording(recorder: resumed.recorder, recordsTags: resumed.metadata.recordsTags, clock: ContinuousClock(),
                                         wallOffset: resumed.wallSeconds, logger: logger)
            } else if !noRecord {
                let path = try record ?? RunRecording.defaultPath(seed: seed)
                let metadata = RunRecording.metadata(configYAML: configText, seed: seed, stop: stop, lab: lab, devices: identities,
                                                     recordsTags: recordTags)
                recording = RunRecording(recorder: try RunRecorder.create(path: path, metadata: metadata), recordsTags: recordTags,
                                         clock: ContinuousClock(), wallOffset: 0, logger: logger)
            }
        } catch { throw fail(error, code: 2) }

        let showProgress = isatty(STDERR_FILENO) == 1
        var collector: Task<[TimeTag], Never>?
        if tags != nil || recording?.recordsTags == true {
            let stream = try await (remote?.lab.tagger ?? lab.tagger).startStreaming()
            let keep = tags != nil, recorder = recording?.recordsTags == true ? recording?.recorder : nil
            collector = Task {
                var all: [TimeTag] = []
                for await batch in stream {
                    if keep { all += batch.tags }
                    recorder?.tags(batch.tags)
                }
                return all
            }
        }
        let result: RunResult
        do {
            let recorder = recording?.recorder
            let report: @Sendable (RunResult) -> Void = { r in
                recorder?.progress(r)
                guard showProgress else { return }
                let line = String(format: "\r%lld attempts, %d heralds, %.3f s lab time   ", r.attempts, r.heralds, r.time.total.inSeconds)
                FileHandle.standardError.write(Data(line.utf8))
            }
            var onHerald: (@Sendable (HeraldRecord, RunResult) -> Void)?
            if let recorder { onHerald = { h, totals in recorder.herald(h, totals: totals) } }
            let base = resumed?.totals ?? RunResult(), pacing = pace.map { Pacing(labPerWall: $0) }
            let runTask = Task { () async throws -> RunResult in
                try await sequencer.run(until: stop, resuming: base, progress: report, onHerald: onHerald, pacing: pacing)
            }
            let signals = StopSignals { _ in
                FileHandle.standardError.write(Data("\nstopping: finishing the burst, then the safe state (signal again to exit at once)\n".utf8))
                runTask.cancel()
            }
            result = try await runTask.value
            _ = signals
        } catch { throw fail(error, code: 1) }
        if result.interrupted || result.failure != nil {
            // Interrupted, or stopped by a fault it could not recover from: leave the lab safe before anything else.
            for step in await wired.bringToSafeState() {
                FileHandle.standardError.write(Data("safe state  \(step)\n".utf8))
                logger.notice("safe state", metadata: ["device": "\(step.device)", "action": "\(step.action)",
                                                       "failure": "\(step.failure ?? "none")"])
            }
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        if let collector {
            await (remote?.lab.tagger ?? lab.tagger).stopStreaming()
            let stream = await collector.value
            if let tags {
                try Data(PTUFile.writeT2(stream, syncChannel: labConfig.hub.syncChannel)).write(to: URL(fileURLWithPath: tags))
            }
        }
        var summary = RunSummary(result: result, lab: lab, seed: runSeed)
        // Name the instruments that stood in for simulated roles.
        summary.instruments = Dictionary(identities.filter { $0.1.vendor != "IonLink" }.map { ($0.0, $0.1.description) },
                                         uniquingKeysWith: { a, _ in a })
        summary.record = recording?.recorder.path
        if let injector, let loop = wired.attemptLoop as? FaultInjectingAttemptLoop {
            summary.faultPlan = RunSummary.FaultPlanOutcome(log: injector.log, events: faultEvents.withLock { $0 }, loop: loop)
        }
        if let recording {
            do { try recording.finish(summaryJSON: try summary.json()) } catch { throw fail(error, code: 1) }
        }
        print(json ? try summary.json() : summary.text())
        remote?.close()
        if result.interrupted { throw ExitCode(130) }
        if result.failure != nil { throw ExitCode(1) }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
