import Foundation
import IonLink
import IonLinkAssembly
import IonLinkRecords
import IonLinkSequencer
import IonLinkPhysics
import Logging

/// The run record of one `ionlink run`: the recorder and the task that flushes it once a second of
/// wall time (the bound on what a killed run can lose), following the run as an observer.
final class RunRecording: RunObserver {
    let recorder: RunRecorder
    let recordsTags: Bool
    private let clock: ContinuousClock
    private let start: ContinuousClock.Instant
    private let wallOffset: Double
    private let flusher: Task<Void, Never>

    /// - Parameter wallOffset: wall seconds already spent by earlier parts of a resumed run.
    init(recorder: RunRecorder, recordsTags: Bool, clock: ContinuousClock, wallOffset: Double, logger: Logger) {
        self.recorder = recorder
        self.recordsTags = recordsTags
        self.clock = clock
        self.wallOffset = wallOffset
        let start = clock.now
        self.start = start
        flusher = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1), clock: clock)
                do { try recorder.flush(wallSeconds: wallOffset + (clock.now - start).inSeconds) } catch {
                    logger.error("run record flush failed", metadata: ["record": "\(recorder.path)", "error": "\(error)"])
                }
            }
        }
    }

    var wallSeconds: Double { wallOffset + (clock.now - start).inSeconds }

    var wantsTags: Bool { recordsTags }
    func progress(_ totals: RunResult) { recorder.progress(totals) }
    func herald(_ herald: HeraldRecord, totals: RunResult) { recorder.herald(herald, totals: totals) }
    func tags(_ batch: [TimeTag]) { recorder.tags(batch) }
    func finished(_ summary: RunSummary) throws { try finish(summaryJSON: summary.json()) }

    /// Stops the flusher and writes the summary: the record is complete.
    func finish(summaryJSON: String) throws {
        flusher.cancel()
        try recorder.finish(summaryJSON: summaryJSON, wallSeconds: wallSeconds)
    }

    /// A new record at `path` for a run of `request` on `lab`, with the run's metadata, flushed once a second from now on.
    static func create(path: String, configYAML: String, request: RunRequest, model lab: LabModel, devices: [(String, DeviceIdentity)],
                       recordsTags: Bool, logger: Logger) throws -> RunRecording {
        let metadata = metadata(configYAML: configYAML, seed: request.seed, stop: request.stop, model: lab, devices: devices,
                                recordsTags: recordsTags)
        return RunRecording(recorder: try RunRecorder.create(path: path, metadata: metadata), recordsTags: recordsTags, clock: ContinuousClock(),
                            wallOffset: 0, logger: logger)
    }

    /// `yyyyMMdd-HHmmss` in UTC, for default file and folder names under `runs/`.
    static func utcStamp(_ date: Date = Date()) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd-HHmmss"
        return f.string(from: date)
    }

    /// The default record path, `runs/run-<UTC time>-seed<seed>.h5` under the working directory
    /// (creating `runs/`).
    static func defaultPath(seed: UInt64) throws -> String {
        try FileManager.default.createDirectory(atPath: "runs", withIntermediateDirectories: true)
        return "runs/run-\(utcStamp())-seed\(seed).h5"
    }

    static func metadata(configYAML: String, seed: UInt64, stop: StopCondition, model lab: LabModel, devices: [(String, DeviceIdentity)],
                         recordsTags: Bool) -> RunMetadata {
        let model = lab.budget.model
        return RunMetadata(
            configYAML: configYAML, seed: seed, stop: stop, lab: lab.config.name, encoding: lab.config.encoding.rawValue,
            ionlinkVersion: IonLinkVersion.current, gitRevision: BuildInfo.gitRevision(), createdUTC: BuildInfo.utcTimestamp(),
            devices: Dictionary(devices.map { ($0.0, $0.1.description) }, uniquingKeysWith: { a, _ in a }),
            model: ["success_probability_analytic": model.analyticSuccessProbability,
                    "success_probability_model": model.heraldProbability, "fidelity_model": model.meanFidelity,
                    "fidelity_verified_model": lab.expectedVerifiedFidelity,
                    "attempt_period_s": lab.attemptPeriod.inSeconds],
            recordsTags: recordsTags)
    }
}
