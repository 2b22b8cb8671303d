import Foundation
import IonLink

/// Where a time-tag file's records are and how to decode them, from its header.
public struct TTTRLayout: Sendable {
    public var recordType: PTURecordType
    /// Every header value, by name, as text.
    public var header: [String: String]
    /// The byte offset of the first 32-bit record.
    public var recordOffset: Int
    public var recordCount: Int
    /// The global (T2: tag; T3: sync period) and fine (T3 dtime) resolutions, ps.
    var globalPS: Double
    var resolutionPS: Double

    /// A decoder for records from the file's start (or for a segment, counting times from its start).
    func decoder() -> RecordDecoder { RecordDecoder(type: recordType, globalPS: globalPS, resolutionPS: resolutionPS) }
}

/// A time-tag file read chunk by chunk: each call to ``next(_:)`` decodes the next few ten thousand
/// records into a buffer the stream reuses, so memory stays bounded (about 1.3 MB) whatever the file's
/// size. Tags come in time order, channel 0 the sync and detector inputs from 1; counts per channel,
/// overflows and markers accumulate.
public final class TTTRStream {
    public let layout: TTTRLayout
    let file: TTTRBytes
    var decoder: RecordDecoder
    /// The next record to read, and the end (record indices).
    public private(set) var position: Int
    public private(set) var end: Int
    let chunkRecords: Int
    private let raw: UnsafeMutableRawPointer
    private let out: UnsafeMutablePointer<TimeTag>
    private let counts: UnsafeMutablePointer<Int64>
    /// The herald engine's rows, one per record tag, for ``next(into:heralds:)``.
    private let table: UnsafeMutablePointer<HeraldEngine.KernelRow>
    /// Markers of the records read so far, when kept (`keepMarkers`); else only counted.
    public private(set) var markers: [TimeTag] = []
    public private(set) var markerCount = 0
    let keepMarkers: Bool
    /// The first and last tag read.
    public private(set) var first: TimeTag?, last: TimeTag?

    /// - Parameters:
    ///   - records: the records to read (default all); a segment's times count from its own start.
    ///   - chunkRecords: records per chunk (1…1 048 576).
    public init(_ file: TTTRBytes, layout: TTTRLayout, records: Range<Int>? = nil, chunkRecords: Int = 32_768,
                keepMarkers: Bool = true) {
        self.file = file
        self.layout = layout
        let range = records?.clamped(to: 0..<layout.recordCount) ?? 0..<layout.recordCount
        position = range.lowerBound
        end = range.upperBound
        self.chunkRecords = min(max(1, chunkRecords), 1 << 20)
        self.keepMarkers = keepMarkers
        decoder = layout.decoder()
        raw = .allocate(byteCount: 4 * self.chunkRecords, alignment: 16)
        out = .allocate(capacity: RecordDecoder.tagsPerRecord * self.chunkRecords)
        counts = .allocate(capacity: 128)
        counts.initialize(repeating: 0, count: 128)
        table = .allocate(capacity: 65)
        table.initialize(repeating: HeraldEngine.KernelRow(), count: 65)
    }

    /// Opens a PTU, PT2/PT3 or HT2/HT3 file by what it starts with.
    public convenience init(contentsOf url: URL, chunkRecords: Int = 32_768, keepMarkers: Bool = true) throws(TTTRFileError) {
        let file = try TTTRBytes(contentsOf: url)
        self.init(file, layout: try TTTRFile.layout(file), chunkRecords: chunkRecords, keepMarkers: keepMarkers)
    }

    deinit {
        raw.deallocate()
        out.deallocate()
        counts.deallocate()
        table.deallocate()
    }

    /// Records read so far.
    public var recordsRead: Int { position }
    public var overflows: Int { decoder.overflows }
    /// Overflow periods so far in the file's global-resolution units (a segment's time base).
    public var overflowUnits: Int64 { decoder.overflow }

    /// Tags read so far on `channel` (0 the sync, 1… the inputs).
    public func tags(onChannel channel: Int32) -> Int64 { (0..<128).contains(channel) ? counts[Int(channel)] : 0 }

    /// Tags read so far per channel, channels with none left out.
    public var channelCounts: [Int32: Int64] {
        var out: [Int32: Int64] = [:]
        for c in 0..<128 where counts[c] != 0 { out[Int32(c)] = counts[c] }
        return out
    }

    /// Lets the stream read on past its end, to `newEnd` (a segment's reader finishing its last period).
    public func extend(to newEnd: Int) { end = max(end, min(newEnd, layout.recordCount)) }

    /// Decodes the next chunk and hands its tags to `body` (valid only during the call).
    /// - Returns: false, without calling `body`, when no records are left.
    public func next(_ body: (UnsafeBufferPointer<TimeTag>) -> Void) throws(TTTRFileError) -> Bool {
        guard position < end else { return false }
        let n = min(chunkRecords, end - position)
        let offset = layout.recordOffset + 4 * position
        try file.copy(at: offset, length: 4 * n, into: raw)
        let tags = try decoder.decode(raw, count: n, offset: offset, into: out, counts: counts, markers: &markers)
        advance(by: n)
        if tags > 0 {
            if first == nil { first = out[0] }
            last = out[tags - 1]
        }
        body(UnsafeBufferPointer(start: out, count: tags))
        return true
    }

    /// Reads the next chunk straight into `engine`: what ``next(_:)`` and ``HeraldEngine/process(_:into:)``
    /// do, without the tags in between where the format allows (HydraHarp, TimeHarp 260 and MultiHarp T2
    /// with a whole-picosecond unit, once a first tag is read). Decided heralds are appended to `out`.
    /// - Returns: false when no records are left.
    public func next(into engine: inout HeraldEngine, heralds out: inout [EngineHerald]) throws(TTTRFileError) -> Bool {
        let type = layout.recordType
        guard let unit = decoder.wholeGlobalPS, type.family != .picoHarp, !type.isT3, first != nil else {
            return try next { engine.process($0, into: &out) }
        }
        guard position < end else { return false }
        let n = min(chunkRecords, end - position)
        let offset = layout.recordOffset + 4 * position
        try file.copy(at: offset, length: 4 * n, into: raw)
        let records = raw.assumingMemoryBound(to: UInt32.self)
        var lastIndex = -1
        try engine.processHydraT2(records, count: n, offset: offset, unit: unit, v1: type.family == .hydraHarpV1, decoder: &decoder,
                                  table: table, counts: counts, markers: &markers, lastIndex: &lastIndex, into: &out)
        advance(by: n)
        if lastIndex >= 0 {
            last = TimeTag(channel: RecordDecoder.hydraT2Tag(UInt32(littleEndian: records[lastIndex])), picoseconds: decoder.lastPS)
        }
        return true
    }

    /// Moves past `n` decoded records, keeping or counting their markers.
    private func advance(by n: Int) {
        position += n
        if !keepMarkers {
            markerCount += markers.count
            markers.removeAll(keepingCapacity: true)
        } else {
            markerCount = markers.count
        }
    }

    /// Reads every remaining record into memory (for files known to be small).
    public func readAll() throws(TTTRFileError) -> TTTRData {
        var tags: [TimeTag] = []
        tags.reserveCapacity(end - position)
        while try next({ tags.append(contentsOf: $0) }) {}
        return TTTRData(recordType: layout.recordType, tags: tags, markers: markers, records: layout.recordCount,
                        overflows: overflows, header: layout.header)
    }
}
