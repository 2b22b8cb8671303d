import ArgumentParser
import Foundation
import IonLink
import IonLinkAssembly
import IonLinkPhysics
import IonLinkRecords
import IonLinkReport
import IonLinkSequencer
import IonLinkSimulation
import Logging

/// `ionlink sweep`: a grid of simulated runs over lab-YAML keys, run in parallel, one run record per
/// point, then a summary (`sweep.json`, `sweep.html`) of the rate–fidelity trade-off.
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a grid of simulated runs over lab-YAML keys and summarise them.",
        discussion: "Example: `ionlink sweep --set hub.window_length_ns=2:20:10 --duration 5s` runs ten labs whose detection "
            + "window is 2, 4, …, 20 ns. Several --set make a grid (every combination); keys joined by + take the same value "
            + "(--set nodes.A.fiber_length_m+nodes.B.fiber_length_m=0:20000:5 moves both nodes away from the hub). Each point's "
            + "rate is shown beside the repeaterless (PLOB) bound of its channel.")

    @Option(name: .customLong("set"), help: ArgumentHelp("KEY=START:STOP:COUNT or KEY=A,B,C: a lab-YAML key (dotted, or several joined by +) "
            + "and its values (repeatable)."))
    var settings: [String] = []

    @Option(help: "Lab YAML to start from (default: the built-in lab).")
    var config: String?

    @Option(help: "Seed of every point (the same stream everywhere, so differences come from the settings).")
    var seed: UInt64 = 1

    /// When each point stops.
    @OptionGroup var stopping: StopOptions

    @Option(help: "Points run at once (default: the machine's cores).")
    var jobs: Int?

    @Option(help: "Directory for the points' run records and the summary (default: runs/sweep-<UTC time>).")
    var out: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    struct Point: Sendable {
        var index: Int
        var assignments: [(key: String, value: String)]
        var yaml: String
        /// The point's lab, parsed (and so validated) before any point runs.
        var config: LabConfig
        var summary: RunSummary?
        /// An ion–photon point's run (it writes no record).
        var photon: IonPhotonSummary?
    }

    func run() async throws {
        let grid = try SweepGrid(settings)
        let logger = Logger.commandLine(label: "ionlink.sweep", level: .warning)
        let points: [Point]
        do { points = try checkedPoints(grid) } catch let e as ValidationError { throw e } catch { throw fail(error, code: 2) }
        let directory = out ?? "runs/sweep-\(RunRecording.utcStamp())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let width = max(1, min(jobs ?? ProcessInfo.processInfo.activeProcessorCount, points.count))
        let done = try await Self.runAll(points, width: width, seed: seed, stop: stopping.condition, directory: directory,
                                         progress: isatty(STDERR_FILENO) == 1, logger: logger)
        try writeSummary(done, directory: directory)
    }

    /// Every point's lab, built and checked before any runs.
    func checkedPoints(_ grid: SweepGrid) throws -> [Point] {
        let base = try loadLabConfigText(path: config)
        guard try parseLabConfig(base).devices.isEmpty else {
            throw ValidationError("sweep runs simulated labs; the config binds instruments in devices:")
        }
        return try (0..<grid.count).map { i in
            var yaml = base
            for (k, v) in grid.settings(i) { yaml = try LabConfig.overriding(yaml: yaml, key: k, value: v) }
            do { return Point(index: i, assignments: grid.point(i), yaml: yaml, config: try parseLabConfig(yaml)) } catch {
                throw ValidationError("point \(i + 1) (\(grid.point(i).map { "\($0.key)=\($0.value)" }.joined(separator: ", "))): \(error)")
            }
        }
    }

    /// Runs the points, `width` at a time, each recorded in `directory`; a progress bar on stderr if asked.
    static func runAll(_ points: [Point], width: Int, seed: UInt64, stop: StopCondition, directory: String, progress: Bool,
                       logger: Logger) async throws -> [Point] {
        var points = points, done = 0
        func bar() {
            guard progress else { return }
            let filled = 30 * done / points.count
            let line = "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled) + "] \(done)/\(points.count) points"
            FileHandle.standardError.write(Data(line.utf8))
        }
        bar()
        try await withThrowingTaskGroup(of: Point.self) { group in
            var next = 0
            func launch() {
                guard next < points.count else { return }
                var p = points[next]
                next += 1
                let record = "\(directory)/point-\(String(format: "%03d", p.index + 1)).h5"
                group.addTask {
                    if p.config.link.ionPhoton != nil {
                        let lab = try IonPhotonLabModel(config: p.config)
                        p.photon = IonPhotonSummary(lab: lab, result: IonPhotonRun(lab: lab, seed: seed).run(until: stop), seed: seed)
                        return p
                    }
                    p.summary = try await simulate(yaml: p.yaml, config: p.config, seed: seed, stop: stop, record: record, logger: logger)
                    return p
                }
            }
            for _ in 0..<width { launch() }
            while let p = try await group.next() {
                points[p.index] = p
                done += 1
                bar()
                launch()
            }
        }
        if progress { FileHandle.standardError.write(Data("\n".utf8)) }
        return points
    }

    /// One point: a simulated lab from its config (and the YAML it came from, for the record), run to `stop`, recorded.
    static func simulate(yaml: String, config: LabConfig, seed: UInt64, stop: StopCondition, record: String,
                         logger: Logger) async throws -> RunSummary {
        let assembled = try await LabBuilder(logger: logger).build(config, seed: seed)
        let request = RunRequest(seed: seed, stop: stop, record: record)
        let session = try await RunSession.prepare(assembled, request: request, logger: logger)
        let recording = try RunRecording.create(path: record, configYAML: yaml, request: request, model: assembled.model,
                                                devices: session.identities, recordsTags: false, logger: logger)
        return try await session.run(observers: [recording])
    }

    func writeSummary(_ points: [Point], directory: String) throws {
        let reportPoints = try points.compactMap { p -> SweepPoint? in
            if let photon = p.photon {
                let fidelity = photon.result.tally.fidelityEstimate()
                return SweepPoint(assignments: p.assignments, heraldRate: photon.result.heraldRate,
                                  successProbability: photon.result.heraldProbability, fidelity: fidelity?.fidelity,
                                  fidelityHalfWidth: fidelity?.halfWidth, record: "", bound: photon.bound)
            }
            guard let s = p.summary else { return nil }
            let budget = try LabModel(config: p.config).budget
            return SweepPoint(assignments: p.assignments, heraldRate: s.heraldRatePerS, successProbability: s.successProbability,
                              fidelity: s.fidelityEstimated, fidelityHalfWidth: s.fidelityCi95, record: s.record ?? "",
                              bound: RepeaterlessBound(attemptRate: s.attemptRateHz,
                                                       channel: budget.chainA.fiberTransmission.value * budget.chainB.fiberTransmission.value,
                                                       wholePath: budget.chainA.total.value * budget.chainB.total.value))
        }
        let title = "IonLink sweep over " + (points.first?.assignments.map(\.key).joined(separator: ", ") ?? "")
        let page = SweepReport.html(title: title, points: reportPoints, oneNode: points.contains { $0.photon != nil })
        try Data(page.utf8).write(to: URL(fileURLWithPath: "\(directory)/sweep.html"))
        let rows: [[String: Any]] = reportPoints.map { p in
            ["set": Dictionary(p.assignments.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
             "herald_rate_per_s": p.heraldRate, "success_probability": p.successProbability,
             "fidelity_estimated": p.fidelity ?? NSNull(), "fidelity_ci95": p.fidelityHalfWidth ?? NSNull(), "record": p.record,
             "attempt_rate_hz": p.bound.attemptRate, "channel_transmissivity": p.bound.channel,
             // A lossless channel's bound is unbounded: null, as JSON has no infinity.
             "plob_bound_ebits_per_s": p.bound.channelRate.isFinite ? p.bound.channelRate : NSNull(),
             "plob_bound_whole_path_ebits_per_s": p.bound.wholePathRate.isFinite ? p.bound.wholePathRate : NSNull()]
        }
        let data = try JSONSerialization.data(withJSONObject: ["points": rows, "report": "\(directory)/sweep.html"],
                                              options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: "\(directory)/sweep.json"))
        if json { print(String(decoding: data, as: UTF8.self)); return }
        let keys = points.first?.assignments.map(\.key) ?? []
        print(keys.joined(separator: "  ") + "  heralds/s   P(success)   PLOB bound/s   fidelity")
        for p in reportPoints {
            print(p.assignments.map(\.value).joined(separator: "  ")
                  + String(format: "  %9.4g  %11.4g  %12.4g  ", p.heraldRate, p.successProbability, p.bound.channelRate)
                  + (p.fidelity.map { String(format: "%.4f ± %.4f", $0, p.fidelityHalfWidth ?? 0) } ?? "—"))
        }
        print("summary     \(directory)/sweep.html, \(directory)/sweep.json")
    }
}
