import Foundation
import IonLink
import IonLinkPhysics
import IonLinkRecords
import IonLinkSequencer
import IonLinkSimulation
import Logging

/// The cost of the HDF5 run record: the whole sequencer on the default lab for 600 s of lab time
/// (162 300 heralds), with a recorder taking every herald and flushing at the end, against the same
/// run without one, in the same process (three of each, alternating; best of each).
func runRecordBenchmark() async throws {
    let config = try LabConfig.parse(yaml: LabConfig.defaultYAML(), speciesKeys: Species.presets.keys.sorted())
    let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ionlink-bench-records-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var plain: [Double] = [], recorded: [Double] = []
    var heralds = 0, bytes = 0
    for k in 0..<6 {
        let lab = try SimulatedLab(config: config, seed: 1, logger: logger)
        let seq = HeraldingSequencer(lab: lab.lab, settings: SequencerSettings(timing: config.timing), logger: logger)
        let path = directory.appendingPathComponent("r\(k).h5").path
        let recorder: RunRecorder? = k % 2 == 1 ? try RunRecorder.create(path: path, metadata: RunMetadata(
            configYAML: try LabConfig.defaultYAML(), seed: 1, stop: StopCondition(labTime: .seconds(600)), lab: config.name,
            encoding: config.encoding.rawValue, ionlinkVersion: IonLinkVersion.current, gitRevision: "bench", createdUTC: "",
            devices: [:], model: [:], recordsTags: false)) : nil
        var onHerald: (@Sendable (HeraldRecord, RunResult) -> Void)?
        if let recorder { onHerald = { h, totals in recorder.herald(h, totals: totals) } }
        let progress: @Sendable (RunResult) -> Void = { recorder?.progress($0) }
        let start = ContinuousClock.now
        let r = try await seq.run(until: StopCondition(labTime: .seconds(600)), progress: progress, onHerald: onHerald)
        try recorder?.finish(summaryJSON: "{}", wallSeconds: 0)
        let seconds = (ContinuousClock.now - start).inSeconds
        if recorder == nil { plain.append(seconds) } else {
            recorded.append(seconds)
            bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        }
        heralds = r.heralds
    }
    print(String(format: "records: 600 s of lab time (%d heralds): with the HDF5 record %.3f s, without %.3f s (best of 3): ×%.2f; file %.1f MB",
                 heralds, recorded.min()!, plain.min()!, recorded.min()! / plain.min()!, Double(bytes) / 1e6))
}
