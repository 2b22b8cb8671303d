import Foundation
import IonLink
import Synchronization

/// What a replay of one time-tag file found: the file's counts, the herald engine's and (when asked)
/// the correlator's.
public struct ReplayTotals: Sendable {
    public var recordType: PTURecordType
    public var records: Int
    public var overflows: Int
    public var markers: Int
    /// Tags per channel (0 the file's sync, 1… its inputs), channels with none left out.
    public var channelCounts: [Int32: Int64]
    /// Heralds per engine pattern.
    public var heralds: [Int64]
    /// Sync periods with two or more slots clicked.
    public var coincidences: Int64
    /// The first and last tag's time, ps.
    public var first: Int64?, last: Int64?
    public var correlator: Correlator?
}

/// A time-tag file through the herald engine without holding its tags: read chunk by chunk
/// (``TTTRStream``), in parallel over segments of the file where the format allows.
///
/// Segments: a T2 file whose time unit is a whole number of picoseconds is cut into one segment per
/// thread. Each segment's reader counts times from its own start (an overflow record carries the time
/// base, so a segment cannot know the absolute time without its predecessors); the engine only compares
/// a click with its period's sync, so relative times give the same decisions. A segment's engine ignores
/// the clicks before its first sync (they belong to the previous segment's last period), and each reader
/// but the last reads on past its segment until the next segment's first sync, deciding its last period
/// exactly as one reader of the whole file would. Counts are taken at the segment's end, so nothing is
/// counted twice; the time span adds the segments' overflow units. T3 files (a sync per period in every
/// record's own counter), fractional time units and g² (whose pairs cross segments) are read in one pass.
public enum TTTRReplay {
    /// Files with fewer records are read in one pass (by default).
    public static let parallelMinimum = 1 << 20

    /// - Parameters:
    ///   - engine: a fresh herald engine (each segment runs a copy).
    ///   - correlator: a fresh correlator, fed in one pass.
    ///   - threads: segments to read at once (1: one pass).
    ///   - minimumRecords: files with fewer records are read in one pass.
    public static func run(_ file: TTTRBytes, layout: TTTRLayout, engine: HeraldEngine, correlator: Correlator? = nil,
                           threads: Int = 1, minimumRecords: Int = parallelMinimum) throws(TTTRFileError) -> ReplayTotals {
        let unit = layout.decoder().wholeGlobalPS
        let segments = correlator == nil && !layout.recordType.isT3 && unit != nil && layout.recordCount >= max(2, minimumRecords)
            ? max(1, min(threads, 64, layout.recordCount / 2)) : 1
        let n = layout.recordCount
        /// The whole file in one reader.
        func onePass(_ correlator: Correlator?) throws(TTTRFileError) -> ReplayTotals {
            let all = try segment(file, layout: layout, records: 0..<n, engine: engine, correlator: correlator, readOn: false)
            return totals([all], layout: layout, patterns: engine.patterns.count, unit: 0)
        }
        if segments == 1 { return try onePass(correlator) }
        let bounds = (0...segments).map { n * $0 / segments }
        let results = Mutex<[Int: Result<Segment, TTTRFileError>]>([:])
        DispatchQueue.concurrentPerform(iterations: segments) { k in
            let r = Result { () throws(TTTRFileError) -> Segment in
                try segment(file, layout: layout, records: bounds[k]..<bounds[k + 1], engine: engine, correlator: nil,
                            readOn: k < segments - 1)
            }
            results.withLock { $0[k] = r }
        }
        var parts: [Segment] = []
        for k in 0..<segments {
            switch results.withLock({ $0[k]! }) {
            case let .success(s): parts.append(s)
            // A segment's error names times relative to its start: one pass names the file's own.
            case .failure: return try onePass(nil)
            }
        }
        return totals(parts, layout: layout, patterns: engine.patterns.count, unit: unit!)
    }

    /// The segments' counts added up; each segment's times are put on the file's time base by the overflow
    /// units (`unit` ps each) of the segments before it.
    static func totals(_ parts: [Segment], layout: TTTRLayout, patterns: Int, unit: Int64) -> ReplayTotals {
        var totals = ReplayTotals(recordType: layout.recordType, records: layout.recordCount, overflows: 0, markers: 0, channelCounts: [:],
                                  heralds: Array(repeating: 0, count: patterns), coincidences: 0)
        var base: Int64 = 0
        for s in parts {
            totals.overflows += s.overflows
            totals.markers += s.markers
            totals.channelCounts.merge(s.channelCounts, uniquingKeysWith: +)
            for i in totals.heralds.indices { totals.heralds[i] += s.heralds[i] }
            totals.coincidences += s.coincidences
            if totals.first == nil, let f = s.first { totals.first = base &+ f }
            if let l = s.last { totals.last = base &+ l }
            base &+= s.overflowUnits &* unit
            totals.correlator = s.correlator
        }
        return totals
    }

    /// One segment's counts (times relative to its start).
    struct Segment: Sendable {
        var overflows = 0, markers = 0
        var overflowUnits: Int64 = 0
        var channelCounts: [Int32: Int64] = [:]
        var heralds: [Int64] = []
        var coincidences: Int64 = 0
        var first: Int64?, last: Int64?
        var correlator: Correlator?
    }

    /// One reader over `records`, feeding a copy of the engine (and `correlator`, if any); with `readOn` it
    /// reads past the segment to the next sync to decide its last period.
    static func segment(_ file: TTTRBytes, layout: TTTRLayout, records: Range<Int>, engine prototype: HeraldEngine,
                        correlator: Correlator?, readOn: Bool) throws(TTTRFileError) -> Segment {
        let stream = TTTRStream(file, layout: layout, records: records, keepMarkers: false)
        var engine = prototype, correlator = correlator
        var found: [EngineHerald] = []
        if correlator == nil {
            while try stream.next(into: &engine, heralds: &found) { found.removeAll(keepingCapacity: true) }
        } else {
            while try stream.next({ tags in
                engine.process(tags, into: &found)
                found.removeAll(keepingCapacity: true)
                correlator?.process(tags)
            }) {}
        }
        var s = Segment(overflows: stream.overflows, markers: stream.markerCount, overflowUnits: stream.overflowUnits,
                        channelCounts: stream.channelCounts, first: stream.first?.picoseconds, last: stream.last?.picoseconds,
                        correlator: correlator)
        if readOn {
            // The last period ends at the next sync, wherever in the file it is.
            stream.extend(to: layout.recordCount)
            let sync = engine.syncChannel
            var ended = false
            while !ended, try stream.next({ tags in
                let at = tags.firstIndex { $0.channel == sync }
                engine.process(UnsafeBufferPointer(rebasing: tags[..<(at.map { $0 + 1 } ?? tags.count)]), into: &found)
                ended = at != nil
            }) {}
        }
        _ = engine.flush()
        s.heralds = engine.heralds
        s.coincidences = engine.coincidences
        return s
    }
}
