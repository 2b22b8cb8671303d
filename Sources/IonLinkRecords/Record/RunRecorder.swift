import IonLink
import IonLinkSequencer
import Synchronization

/// Writes one run's record to HDF5 as the run goes: heralds, tags and the run's totals are buffered in
/// memory and written by ``flush(wallSeconds:)`` (the caller flushes once a second), each flush ending
/// with a block row of cumulative totals. The file is in SWMR mode while the run goes, so a killed run
/// leaves a file holding everything up to its last flush; a block row is written after the heralds it
/// counts, so a resume trims any heralds a kill left without their block.
public final class RunRecorder: Sendable {
    struct State {
        var file: HDF5File?
        var heralds: [HeraldRecord] = []
        var tags: [TimeTag] = []
        var latest = RunResult()
        var tagCount: Int64 = 0
        var dirty = false
    }

    public let path: String
    private let state: Mutex<State>

    private init(path: String, file: sending HDF5File, latest: RunResult, tagCount: Int64) {
        self.path = path
        state = Mutex(State(file: file, latest: latest, tagCount: tagCount))
    }

    /// Creates the record (refusing to overwrite a file) and writes the run's metadata.
    public static func create(path: String, metadata m: RunMetadata) throws(RecordError) -> RunRecorder {
        do throws(HDF5Error) {
            let f = try HDF5File.create(path)
            try f.setAttribute("format", RunRecordLayout.format)
            try f.setAttribute("ionlink_version", m.ionlinkVersion)
            try f.setAttribute("git_revision", m.gitRevision)
            try f.setAttribute("created_utc", m.createdUTC)
            try f.setAttribute("seed", Int64(bitPattern: m.seed))
            try f.setAttribute("lab", m.lab)
            try f.setAttribute("encoding", m.encoding)
            try f.setAttribute("stop_attempts", m.stop.attempts ?? -1)
            try f.setAttribute("stop_heralds", Int64(m.stop.heralds ?? -1))
            try f.setAttribute("stop_lab_time_ps", m.stop.labTime?.inPicoseconds ?? -1)
            try f.setAttribute("records_tags", Int8(m.recordsTags ? 1 : 0))
            try f.setAttribute("resumes", Int64(0))
            try f.createGroup("config")
            try f.writeString(m.configYAML, dataset: "config/yaml")
            try f.createGroup("devices")
            for (name, identity) in m.devices.sorted(by: { $0.key < $1.key }) { try f.setAttribute(name, on: "devices", identity) }
            try f.createGroup("model")
            for (name, value) in m.model.sorted(by: { $0.key < $1.key }) { try f.setAttribute(name, on: "model", value) }
            try f.createGroup("blocks")
            try f.createColumn("blocks/wall_time_s", of: Double.self, chunk: 256)
            try f.createColumn("blocks/tags", of: Int64.self, chunk: 256)
            for c in RunRecordLayout.countColumns + RunRecordLayout.timeColumns { try f.createColumn("blocks/\(c.name)", of: Int64.self, chunk: 256) }
            try f.createGroup("heralds")
            for c in ["lab_time_ps", "attempt", "sync_ps"] { try f.createColumn("heralds/\(c)", of: Int64.self) }
            for c in ["pattern", "basis", "eigenvalue_a", "eigenvalue_b", "clicks"] { try f.createColumn("heralds/\(c)", of: Int8.self) }
            try f.createGroup("clicks")
            try f.createColumn("clicks/channel", of: Int32.self)
            try f.createColumn("clicks/time_after_sync_ps", of: Int64.self)
            try f.createGroup("tags")
            try f.createColumn("tags/channel", of: Int32.self, chunk: 65_536)
            try f.createColumn("tags/time_ps", of: Int64.self, chunk: 65_536)
            try f.flush()
            try f.startSWMR()
            return RunRecorder(path: path, file: f, latest: RunResult(), tagCount: 0)
        } catch { throw .hdf5(error) }
    }

    /// What resuming a killed run starts from.
    public struct Resumption: Sendable {
        public var recorder: RunRecorder
        public var metadata: RunMetadata
        /// The totals of the last block row.
        public var totals: RunResult
        /// Wall time of the last block row (so the resumed part's block times continue from it).
        public var wallSeconds: Double
    }

    /// Reopens a killed run's record for appending: trims heralds, clicks and tags written after its
    /// last block row, and returns the recorder with the metadata and the totals to resume from.
    public static func resume(path: String) throws(RecordError) -> Resumption {
        // Read (and so validate) everything before touching the file.
        let record = try RunRecord.read(path: path)
        guard record.summaryJSON == nil else { throw .alreadyComplete(path: path) }
        do throws(HDF5Error) {
            let f = try HDF5File.open(path, mode: .resume)
            let base = record.totals
            let heralds = base.heralds
            try f.truncate("heralds/lab_time_ps", to: heralds)
            for c in ["attempt", "sync_ps", "pattern", "basis", "eigenvalue_a", "eigenvalue_b", "clicks"] {
                try f.truncate("heralds/\(c)", to: heralds)
            }
            let clicks = record.heralds.prefix(heralds).reduce(0) { $0 + $1.clicks.count }
            try f.truncate("clicks/channel", to: clicks)
            try f.truncate("clicks/time_after_sync_ps", to: clicks)
            try f.truncate("tags/channel", to: Int(record.tagCountAtLastBlock))
            try f.truncate("tags/time_ps", to: Int(record.tagCountAtLastBlock))
            try f.setAttribute("resumes", record.resumes + 1)
            try f.flush()
            try f.startSWMR()
            return Resumption(recorder: RunRecorder(path: path, file: f, latest: base, tagCount: record.tagCountAtLastBlock),
                              metadata: record.metadata, totals: base, wallSeconds: record.blocks.last?.wallSeconds ?? 0)
        } catch { throw .hdf5(error) }
    }

    /// Buffers one herald and the totals that include it.
    public func herald(_ h: HeraldRecord, totals: RunResult) {
        let t = totals
        state.withLock {
            $0.heralds.append(h)
            $0.latest = t
            $0.dirty = true
        }
    }

    /// Buffers the run's latest totals.
    public func progress(_ totals: RunResult) {
        let t = totals
        state.withLock {
            $0.latest = t
            $0.dirty = true
        }
    }

    /// Buffers raw tags (kept only when the record was created with `recordsTags`).
    public func tags(_ batch: [TimeTag]) {
        state.withLock {
            $0.tags += batch
            $0.dirty = true
        }
    }

    /// Writes what is buffered, then a block row of the totals, and flushes the file.
    public func flush(wallSeconds: Double) throws(RecordError) {
        let result: Result<Void, HDF5Error> = state.withLock { s in
            guard s.dirty, let f = s.file else { return .success(()) }
            do throws(HDF5Error) {
                let h = s.heralds
                try f.append(h.map { $0.labTime.inPicoseconds }, to: "heralds/lab_time_ps")
                try f.append(h.map(\.attempt), to: "heralds/attempt")
                try f.append(h.map(\.syncPicoseconds), to: "heralds/sync_ps")
                try f.append(h.map { Int8($0.pattern) }, to: "heralds/pattern")
                try f.append(h.map { Int8(PauliBasis.allCases.firstIndex(of: $0.basis)!) }, to: "heralds/basis")
                try f.append(h.map { Int8($0.eigenvalueA) }, to: "heralds/eigenvalue_a")
                try f.append(h.map { Int8($0.eigenvalueB) }, to: "heralds/eigenvalue_b")
                try f.append(h.map { Int8(clamping: $0.clicks.count) }, to: "heralds/clicks")
                try f.append(h.flatMap { $0.clicks.prefix(127).map(\.channel) }, to: "clicks/channel")
                try f.append(h.flatMap { r in r.clicks.prefix(127).map { $0.picoseconds - r.syncPicoseconds } }, to: "clicks/time_after_sync_ps")
                try f.append(s.tags.map(\.channel), to: "tags/channel")
                try f.append(s.tags.map(\.picoseconds), to: "tags/time_ps")
                s.tagCount += Int64(s.tags.count)
                try f.append([wallSeconds], to: "blocks/wall_time_s")
                try f.append([s.tagCount], to: "blocks/tags")
                for c in RunRecordLayout.countColumns + RunRecordLayout.timeColumns { try f.append([c.get(s.latest)], to: "blocks/\(c.name)") }
                try f.flush()
                s.heralds.removeAll(keepingCapacity: true)
                s.tags.removeAll(keepingCapacity: true)
                s.dirty = false
                return .success(())
            } catch { return .failure(error) }
        }
        if case .failure(let e) = result { throw .hdf5(e) }
    }

    /// Flushes, leaves SWMR mode and writes the run's summary (as JSON text), marking the run complete.
    public func finish(summaryJSON: String, wallSeconds: Double) throws(RecordError) {
        try flush(wallSeconds: wallSeconds)
        let path = self.path
        state.withLock { $0.file?.close(); $0.file = nil }
        do throws(HDF5Error) {
            let f = try HDF5File.open(path, mode: .resume)
            defer { f.close() }
            try f.setAttribute("summary_json", summaryJSON)
            try f.flush()
        } catch { throw .hdf5(error) }
    }
}
