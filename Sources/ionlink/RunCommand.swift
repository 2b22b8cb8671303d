import ArgumentParser
import Foundation
import IonLink
import IonLinkSequencer
import IonLinkSimulation
import IonLinkTags
import Logging

/// `ionlink run`: a heralded remote-entanglement run on the configured lab.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run heralded remote entanglement on a lab (the built-in simulated lab by default).")

    @Option(help: "Lab YAML (default: the built-in lab; see `ionlink default-config`).")
    var config: String?

    @Option(help: "Seed of the simulation's random stream; the same seed gives the same result.")
    var seed: UInt64 = 1

    @Option(help: "Stop after this many attempts.")
    var attempts: Int64?

    @Option(help: "Stop after this many heralds.")
    var heralds: Int?

    @Option(help: "Stop after this much lab time, e.g. 10s, 500ms, 2m.")
    var duration: LabDuration?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(help: "Write the tagger's stream (each herald's sync and clicks) to this PTU file; channel 0 is the sync.")
    var tags: String?

    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    func validate() throws {
        if let a = attempts, a <= 0 { throw ValidationError("--attempts must be positive") }
        if let h = heralds, h <= 0 { throw ValidationError("--heralds must be positive") }
    }

    func run() async throws {
        let level = logLevel
        let logger = Logger(label: "ionlink") { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let labConfig: LabConfig
        let lab: SimulatedLab
        do {
            labConfig = try loadLabConfig(path: config)
            lab = try SimulatedLab(config: labConfig, seed: seed, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let settings = SequencerSettings(timing: labConfig.timing)
        let stop = StopCondition(attempts: attempts, heralds: heralds,
                                 labTime: attempts == nil && heralds == nil && duration == nil ? .seconds(10) : duration?.duration)
        let wired: Lab
        do {
            wired = labConfig.devices.isEmpty ? lab.lab : try await DeviceBinder.bind(labConfig, onto: lab, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let sequencer = HeraldingSequencer(lab: wired, settings: settings, logger: logger)
        let showProgress = isatty(STDERR_FILENO) == 1
        var collector: Task<[TimeTag], Never>?
        if tags != nil {
            let stream = try await lab.tagger.startStreaming()
            collector = Task {
                var all: [TimeTag] = []
                for await batch in stream { all += batch.tags }
                return all
            }
        }
        let result: RunResult
        var identities: [(String, DeviceIdentity)] = []
        do {
            identities = try await sequencer.identifyDevices()
            let report: @Sendable (RunResult) -> Void = { r in
                let line = String(format: "\r%lld attempts, %d heralds, %.3f s lab time   ",
                                  r.attempts, r.heralds, r.time.total.inSeconds)
                FileHandle.standardError.write(Data(line.utf8))
            }
            result = try await sequencer.run(until: stop, progress: showProgress ? report : nil)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        if let tags, let collector {
            await lab.tagger.stopStreaming()
            let stream = await collector.value
            try Data(PTUFile.writeT2(stream, syncChannel: labConfig.hub.syncChannel)).write(to: URL(fileURLWithPath: tags))
        }
        var summary = RunSummary(result: result, lab: lab, seed: seed)
        // Name the instruments that stood in for simulated roles.
        summary.instruments = Dictionary(identities.filter { $0.1.vendor != "IonLink" }.map { ($0.0, $0.1.description) },
                                         uniquingKeysWith: { a, _ in a })
        print(json ? try summary.json() : summary.text())
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
