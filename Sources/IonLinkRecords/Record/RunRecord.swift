import IonLink
import IonLinkSequencer

/// A run record read back: metadata, block rows, heralds with their clicks, raw tags (when kept) and,
/// for a run that finished, its summary. Opens a killed or still-running run's file too (SWMR read).
public struct RunRecord: Sendable {
    /// One block row: wall time of the flush and the run's cumulative totals then.
    public struct Block: Sendable, Hashable {
        public var wallSeconds: Double
        public var tags: Int64
        public var totals: RunResult
    }

    public var path: String
    public var metadata: RunMetadata
    public var resumes: Int64
    public var blocks: [Block]
    /// Every herald row in the file (a kill may leave a few past the last block; ``totals`` does not count them).
    public var heralds: [HeraldRecord]
    public var tags: [TimeTag]
    /// The JSON summary `ionlink run` printed, present once the run finished.
    public var summaryJSON: String?

    /// The totals of the last block row (an empty result before the first).
    public var totals: RunResult { blocks.last?.totals ?? RunResult() }
    /// Tags written up to the last block row.
    public var tagCountAtLastBlock: Int64 { blocks.last?.tags ?? 0 }
    public var isComplete: Bool { summaryJSON != nil }

    public static func read(path: String) throws(RecordError) -> RunRecord {
        let f: HDF5File
        do throws(HDF5Error) {
            do { f = try HDF5File.open(path, mode: .read) } catch .cannotOpen { f = try HDF5File.open(path, mode: .readWhileWritten) }
        } catch { throw .hdf5(error) }
        defer { f.close() }
        let format = try? f.stringAttribute("format")
        guard format == RunRecordLayout.format else { throw .notARunRecord(path: path, format: format) }
        do throws(HDF5Error) {
            func int(_ name: String) throws(HDF5Error) -> Int64 { try f.attribute(name, as: Int64.self) }
            let stopAttempts = try int("stop_attempts"), stopHeralds = try int("stop_heralds"), stopTime = try int("stop_lab_time_ps")
            var devices: [String: String] = [:]
            for name in try f.attributeNames(on: "devices") { devices[name] = try f.stringAttribute(name, on: "devices") }
            var model: [String: Double] = [:]
            for name in try f.attributeNames(on: "model") { model[name] = try f.attribute(name, on: "model", as: Double.self) }
            let metadata = RunMetadata(
                configYAML: try f.readString(dataset: "config/yaml"), seed: UInt64(bitPattern: try int("seed")),
                stop: StopCondition(attempts: stopAttempts >= 0 ? stopAttempts : nil, heralds: stopHeralds >= 0 ? Int(stopHeralds) : nil,
                                    labTime: stopTime >= 0 ? .picoseconds(stopTime) : nil),
                lab: try f.stringAttribute("lab"), encoding: try f.stringAttribute("encoding"),
                ionlinkVersion: try f.stringAttribute("ionlink_version"), gitRevision: try f.stringAttribute("git_revision"),
                createdUTC: try f.stringAttribute("created_utc"), devices: devices, model: model,
                recordsTags: try f.attribute("records_tags", as: Int8.self) != 0)

            let wall = try f.read("blocks/wall_time_s", as: Double.self)
            let tagCounts = try f.read("blocks/tags", as: Int64.self)
            var columns: [[Int64]] = []
            let all = RunRecordLayout.countColumns + RunRecordLayout.timeColumns
            for c in all { columns.append(try f.read("blocks/\(c.name)", as: Int64.self)) }
            let rows = ([wall.count, tagCounts.count] + columns.map(\.count)).min() ?? 0
            var blocks: [Block] = []
            for i in 0..<rows {
                var r = RunResult()
                for (k, c) in all.enumerated() { c.set(&r, columns[k][i]) }
                blocks.append(Block(wallSeconds: wall[i], tags: tagCounts[i], totals: r))
            }

            let time = try f.read("heralds/lab_time_ps", as: Int64.self), attempt = try f.read("heralds/attempt", as: Int64.self)
            let sync = try f.read("heralds/sync_ps", as: Int64.self), pattern = try f.read("heralds/pattern", as: Int8.self)
            let basis = try f.read("heralds/basis", as: Int8.self), a = try f.read("heralds/eigenvalue_a", as: Int8.self)
            let b = try f.read("heralds/eigenvalue_b", as: Int8.self), clickCounts = try f.read("heralds/clicks", as: Int8.self)
            let channel = try f.read("clicks/channel", as: Int32.self), after = try f.read("clicks/time_after_sync_ps", as: Int64.self)
            let n = [time.count, attempt.count, sync.count, pattern.count, basis.count, a.count, b.count, clickCounts.count].min() ?? 0
            var heralds: [HeraldRecord] = []
            var k = 0
            for i in 0..<n {
                let m = Int(clickCounts[i])
                guard k + m <= min(channel.count, after.count), PauliBasis.allCases.indices.contains(Int(basis[i])) else { break }
                let clicks = (k..<(k + m)).map { TimeTag(channel: channel[$0], picoseconds: sync[i] + after[$0]) }
                k += m
                heralds.append(HeraldRecord(labTime: .picoseconds(time[i]), attempt: attempt[i], pattern: Int(pattern[i]),
                                            basis: PauliBasis.allCases[Int(basis[i])], eigenvalueA: Int(a[i]), eigenvalueB: Int(b[i]),
                                            syncPicoseconds: sync[i], clicks: clicks))
            }
            let tagChannels = try f.read("tags/channel", as: Int32.self), tagTimes = try f.read("tags/time_ps", as: Int64.self)
            let tags = zip(tagChannels, tagTimes).map { TimeTag(channel: $0, picoseconds: $1) }
            let summary = try? f.stringAttribute("summary_json")   // absent until the run finishes
            return RunRecord(path: path, metadata: metadata, resumes: try int("resumes"), blocks: blocks, heralds: heralds, tags: tags,
                             summaryJSON: summary)
        } catch { throw .hdf5(error) }
    }
}
