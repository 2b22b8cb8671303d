import ArgumentParser
import Foundation
import IonLink
import IonLinkSequencer
import IonLinkAssembly
import Logging

/// `ionlink run`: a heralded remote-entanglement run on the configured lab.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run heralded remote entanglement on a lab (the built-in simulated lab by default).")

    @OptionGroup var lab: LabOptions
    var config: String? { lab.config }
    var seed: UInt64 { lab.seed }

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

    @Option(help: "Inject the faults of this fault plan (YAML; docs/faults.md).")
    var faults: String?

    @Option(help: "Hold the simulation to this many seconds of lab time per second of wall time (1: real time).")
    var pace: Double?

    func validate() throws {
        if let p = pace, !Pacing.allowed.contains(p) { throw ValidationError("--pace must lie in 1e-6…1e12 (lab seconds per wall second)") }
        if resume != nil && (config != nil || !stopping.isEmpty || record != nil || noRecord) {
            throw ValidationError("--resume takes the config, seed and stop condition from the record; give none of them")
        }
    }

    func run() async throws {
        let logger = Logger.commandLine(label: "ionlink", level: logLevel)
        if let photonLab = try exitingWith(2, { try ionPhotonLab() }) { return try runIonPhoton(photonLab) }
        let plan = try await exitingWith(2) { try await RunPlan.make(self, logger: logger) }
        defer { plan.close() }
        let session: RunSession
        do {
            session = try await RunSession.prepare(plan.assembled, request: plan.request, logger: logger) {
                kill(getpid(), SIGKILL)   // the plan's `kill`: the process dies as under `kill -9`, with no chance to tidy up
            }
        } catch { throw fail(error, code: error is FaultPlanError ? 2 : 1) }
        let recording = try exitingWith(2) { try plan.recording(identities: session.identities, logger: logger) }
        var watching: [any RunObserver] = [SafeStateReport(logger: logger)]
        if isatty(STDERR_FILENO) == 1 { watching.append(ProgressLine()) }
        if let tags { watching.append(try exitingWith(2) { try TagFile(path: tags, syncChannel: plan.config.hub.syncChannel) }) }
        if let recording { watching.append(recording) }
        let observers = watching
        let summary = try await exitingWith(1) { try await Self.interruptibly { try await session.run(observers: observers) } }
        print(json ? try summary.json() : summary.text())
        if summary.interrupted { throw ExitCode(130) }
        if summary.failure != nil { throw ExitCode(1) }
    }

    /// Runs `body` in a task that SIGINT or SIGTERM cancels (the run stops after its burst, the lab is left safe).
    static func interruptibly<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        let signals = StopSignals { _ in
            FileHandle.standardError.write(Data("\nstopping: finishing the burst, then the safe state (signal again to exit at once)\n".utf8))
            task.cancel()
        }
        defer { withExtendedLifetime(signals) {} }
        return try await task.value
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension Logger {
    /// A logger writing to stderr at `level`.
    static func commandLine(label: String, level: Logger.Level) -> Logger {
        Logger(label: label) { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
    }
}

/// Prints `error: …` and returns the exit code to throw.
func fail(_ error: any Error, code: Int32) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    return ExitCode(code)
}

/// Runs `body`; an error is printed as `error: …` and the command exits with `code`.
func exitingWith<T>(_ code: Int32, _ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let e as ExitCode { throw e } catch { throw fail(error, code: code) }
}

/// The synchronous form of ``exitingWith(_:_:)``.
func exitingWith<T>(_ code: Int32, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as ExitCode { throw e } catch { throw fail(error, code: code) }
}
