import ArgumentParser
import Foundation
import IonLink
import IonLinkAssembly
import IonLinkRecords
#if Networking
import IonLinkRemote
#endif
import IonLinkSequencer
import IonLinkPhysics
import Logging

/// What `ionlink run`'s flags (or a killed run's record) ask for: the lab YAML, the assembled lab (local,
/// with its bound instruments, or spread over served nodes), the run request and where to record it.
struct RunPlan {
    var configText: String
    var config: LabConfig
    var assembled: AssembledLab
    var request: RunRequest
    #if Networking
    /// The served nodes of a distributed run.
    var remote: RemoteLab?
    #endif
    var resumed: RunRecorder.Resumption?
    /// Where a new record goes (nil: none, or the resumed one).
    var newRecord: String?
    var recordsTags: Bool

    static func make(_ c: RunCommand, logger: Logger) async throws -> RunPlan {
        // A resumed run takes everything from its record; a new one from the flags.
        let resumed = try c.resume.map { try RunRecorder.resume(path: $0) }
        let runSeed = resumed?.metadata.seed ?? c.seed
        // The continuation of a resumed run draws a fresh stream, fixed by where it resumes.
        let streamSeed = resumed.map { base -> UInt64 in
            var g = SeededGenerator(seed: runSeed ^ UInt64(bitPattern: base.totals.attempts))
            return g.next()
        } ?? c.seed
        var text = try resumed?.metadata.configYAML ?? loadLabConfigText(path: c.config)
        #if Networking
        var distributed: DistributedConfig?
        if let path = c.config, DistributedConfig.describes(yaml: text) {
            // A distributed run: the nodes serve the devices; the lab YAML gives timing and the model.
            let d = try DistributedConfig.parse(yaml: text, folder: (path as NSString).deletingLastPathComponent)
            guard c.faults == nil else {
                throw ValidationError("--faults is for single-process runs; a distributed run's nodes are real processes to disturb")
            }
            text = try loadLabConfigText(path: d.lab)
            distributed = d
        }
        #else
        if c.config != nil, ConfigSection.rootHas("distributed", yaml: text) {
            throw ValidationError("a distributed run reaches its nodes over the network, which this build leaves out; "
                + "build it with `swift build -c release --traits Networking`")
        }
        #endif
        let config = try parseLabConfig(text)
        let builder = LabBuilder(logger: logger)
        var assembled: AssembledLab
        #if Networking
        var remote: RemoteLab?
        if let distributed {
            remote = try await RemoteLab.connect(distributed, model: try LabModel(config: config), seed: runSeed, logger: logger)
            assembled = remote!.assembled
        } else {
            assembled = try await builder.build(config, seed: streamSeed)
        }
        #else
        assembled = try await builder.build(config, seed: streamSeed)
        #endif
        let faults = try c.faults.map { try FaultPlan.parse(yaml: String(contentsOfFile: $0, encoding: .utf8)) }
        let newRecord = resumed == nil && !c.noRecord ? try c.record ?? RunRecording.defaultPath(seed: c.seed) : nil
        let request = RunRequest(seed: runSeed, stop: resumed?.metadata.stop ?? c.stopping.condition, faults: faults,
                                 resuming: resumed?.totals ?? RunResult(), pacing: c.pace.map { Pacing(labPerWall: $0) },
                                 record: newRecord ?? resumed?.recorder.path)
        var plan = RunPlan(configText: text, config: config, assembled: assembled, request: request, resumed: resumed,
                           newRecord: newRecord, recordsTags: resumed?.metadata.recordsTags ?? c.recordTags)
        #if Networking
        plan.remote = remote
        #endif
        return plan
    }

    /// Closes the connections to a distributed run's nodes.
    func close() {
        #if Networking
        remote?.close()
        #endif
    }

    /// The run's record: the resumed one reopened, or a new one with the run's metadata, or none.
    func recording(identities: [(String, DeviceIdentity)], logger: Logger) throws -> RunRecording? {
        if let resumed {
            return RunRecording(recorder: resumed.recorder, recordsTags: recordsTags, clock: ContinuousClock(),
                                wallOffset: resumed.wallSeconds, logger: logger)
        }
        guard let newRecord else { return nil }
        return try RunRecording.create(path: newRecord, configYAML: configText, request: request, model: assembled.model, devices: identities,
                                       recordsTags: recordsTags, logger: logger)
    }
}
