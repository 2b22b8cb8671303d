import IonLink

/// One click slot of the herald engine: a channel and a window relative to the sync, in picoseconds
/// (after the channel's delay is applied).
public struct EngineSlot: Sendable, Hashable {
    public var channel: Int32
    public var window: ClosedRange<Int64>
    public init(channel: Int32, window: ClosedRange<Int64>) {
        self.channel = channel
        self.window = window
    }
}

/// A herald pattern over engine slots: exactly these slots click in a sync period.
public struct EnginePattern: Sendable, Hashable {
    public var name: String
    /// Indices into the engine's slots.
    public var slots: [Int]
    public init(name: String, slots: [Int]) {
        self.name = name
        self.slots = slots
    }
}

/// A herald the engine found: the sync period it belongs to and the pattern.
public struct EngineHerald: Sendable, Hashable {
    public var syncPicoseconds: Int64
    public var syncIndex: Int64
    public var pattern: Int
}

/// The streaming herald engine: tags in time order, from any source, batch by batch.
///
/// Each tag of the sync channel opens a period; every other tag, shifted by its channel's delay, sets
/// the bit of each slot whose window (relative to the period's sync) contains it. A period heralds
/// pattern p when its set of clicked slots equals p's exactly. The period is decided when the next
/// sync arrives, or — for live use — at the end of the batch whose last tag is so late that no tag
/// still to come can fall in any of its windows (raw time past the sync by more than the latest
/// window end minus the smallest channel delay). Counts per channel and per pattern accumulate.
///
/// The per-tag loop has no data-dependent branch except the rare one taken when a period with a
/// clicked slot ends: the sync/click distinction and the window test are bit masks, and each
/// channel's first slot, delay and click counter live in one table row.
public struct HeraldEngine: Sendable {
    public let slots: [EngineSlot]
    public let patterns: [EnginePattern]
    public let syncChannel: Int32
    /// Per-channel delay added to every tag of that channel, ps.
    public let delays: [Int32: Int64]

    /// One row per channel from −1 to the highest channel named (row = channel + 1), plus a last row
    /// for channels outside the table. The row's first slot is the range test
    /// `0 <= t - sync - offset <= width`, where `offset` is the window start minus the channel's
    /// delay; further slots of the same channel (time-bin layouts) are in
    /// `extraSlots[extraFirst..<extraFirst+extraCount]`.
    ///
    /// A row without a slot has width −1, which no tag satisfies. The slot's bit is stored as its
    /// index, not as the bit: a select between a computed value and zero stays a conditional move,
    /// while one between a loaded value and zero is turned into a branch by the compiler.
    struct Row {
        var offset: Int64 = 0
        var width: Int64 = -1
        /// All ones for a click channel, zero for the sync channel.
        var keep: UInt64 = ~0
        /// Tags seen on this channel.
        var count: Int64 = 0
        var slot: UInt32 = 0
        var extraFirst: Int32 = 0
        var extraCount: Int32 = 0
        /// `~keep`, stored so that the loop need not compute it.
        var isSync: UInt64 = 0
        /// Pads the row to 64 bytes, so that its address is one shift of the channel.
        var padding: (Int32, Int64) = (0, 0)
    }

    private let channelCount: Int
    /// The row for channels outside the table.
    let outside: UInt32
    var rows: [Row]
    let extraSlots: [Row]
    let patternMasks: [UInt64]
    /// A tag this far (raw ps) after the sync shows the period closed.
    private let closeAfter: Int64

    var sync: Int64 = 0
    var mask: UInt64 = 0

    public internal(set) var heralds: [Int64]
    /// Sync periods in which two or more slots clicked (whether or not they form a pattern).
    public internal(set) var coincidences: Int64 = 0

    /// Sync tags seen.
    public var syncs: Int64 { rows[Self.row(of: syncChannel, outside: outside)].count }

    /// Clicks per channel (index = channel), sync tags not included.
    public var clicks: [Int64] {
        (0..<channelCount).map { Int32($0) == syncChannel ? 0 : rows[$0 + 1].count }
    }

    @inline(__always)
    static func row(of channel: Int32, outside: UInt32) -> Int {
        Int(min(UInt32(bitPattern: channel &+ 1), outside))
    }

    /// - Precondition: at most 64 slots; the sync channel is −1 (attempts without a tagger) or above.
    public init(syncChannel: Int32, slots: [EngineSlot], patterns: [EnginePattern], delays: [Int32: Int64] = [:]) {
        precondition(slots.count <= 64, "at most 64 slots")
        precondition(syncChannel >= -1, "sync channel −1 or above")
        self.syncChannel = syncChannel
        self.slots = slots
        self.patterns = patterns
        self.delays = delays
        let maxChannel = Int(([syncChannel] + slots.map(\.channel) + Array(delays.keys)).max() ?? 0)
        channelCount = max(0, maxChannel + 1)
        outside = UInt32(channelCount + 1)
        var rows = [Row](repeating: Row(), count: Int(outside) + 1)
        rows[Self.row(of: syncChannel, outside: outside)].keep = 0
        rows[Self.row(of: syncChannel, outside: outside)].isSync = ~0
        var extras: [Row] = []
        for c in 0..<channelCount where Int32(c) != syncChannel {
            let mine = slots.enumerated().filter { Int($0.element.channel) == c }
            for (n, (i, s)) in mine.enumerated() {
                let row = Row(offset: s.window.lowerBound &- (delays[Int32(c)] ?? 0),
                              width: s.window.upperBound &- s.window.lowerBound, slot: UInt32(i))
                if n == 0 {
                    rows[c + 1] = row
                } else {
                    if n == 1 { rows[c + 1].extraFirst = Int32(extras.count) }
                    rows[c + 1].extraCount += 1
                    extras.append(row)
                }
            }
        }
        self.rows = rows
        extraSlots = extras
        patternMasks = patterns.map { $0.slots.reduce(UInt64(0)) { $0 | (UInt64(1) << UInt64($1)) } }
        let minDelay = slots.map { delays[$0.channel] ?? 0 }.min() ?? 0
        closeAfter = (slots.map(\.window.upperBound).max() ?? 0) &- minDelay
        heralds = Array(repeating: 0, count: patterns.count)
    }

    /// Processes tags (in time order) and appends every decided herald to `out`.
    public mutating func process(_ tags: UnsafeBufferPointer<TimeTag>, into out: inout [EngineHerald]) {
        guard let base = tags.baseAddress, !tags.isEmpty else { return }
        var sync = self.sync, mask = self.mask
        let outside = self.outside, syncRow = Self.row(of: syncChannel, outside: outside)
        rows.withUnsafeMutableBufferPointer { rows in
            extraSlots.withUnsafeBufferPointer { extras in
                var cursor = base
                let end = base + tags.count
                while cursor < end {
                    let ended = Self.scan(&cursor, end: end, sync: &sync, mask: &mask, rows: rows.baseAddress!,
                                          outside: outside, extras: extras.baseAddress)
                    // A period with clicked slots ended at the sync just read.
                    if ended.mask != 0 {
                        Self.record(ended.mask, sync: ended.sync, index: rows[syncRow].count - 2, patternMasks: patternMasks,
                                    heralds: &heralds, coincidences: &coincidences, into: &out)
                    }
                }
            }
        }
        // Live decision: the batch's last tag closes the open period.
        if mask != 0 && base[tags.count - 1].picoseconds &- sync > closeAfter {
            Self.record(mask, sync: sync, index: syncs - 1, patternMasks: patternMasks, heralds: &heralds,
                        coincidences: &coincidences, into: &out)
            mask = 0
        }
        self.sync = sync
        self.mask = mask
    }

    /// The per-tag loop, from `cursor` until the end or until a sync tag ends a period with clicked
    /// slots (returned, with `cursor` just past that sync). It makes no call, so its state stays in
    /// registers; selects are bit masks (`keep` is all ones for a click, zero for a sync).
    @inline(never)
    static func scan(_ cursor: inout UnsafePointer<TimeTag>, end: UnsafePointer<TimeTag>, sync: inout Int64, mask: inout UInt64,
                     rows: UnsafeMutablePointer<Row>, outside: UInt32, extras: UnsafePointer<Row>?) -> (mask: UInt64, sync: Int64) {
        var p = cursor, s = sync, m = mask
        defer { cursor = p; sync = s; mask = m }
        while p < end {
            let tag = p.pointee
            p += 1
            let row = rows + row(of: tag.channel, outside: outside)
            row.pointee.count &+= 1
            // In the window when both x and width − x are non-negative.
            let t = tag.picoseconds &- s, x = t &- row.pointee.offset
            var bit = windowBit(x, width: row.pointee.width, slot: UInt64(row.pointee.slot))
            if row.pointee.extraCount != 0 { bit |= extraBits(t, row.pointee, extras) }
            let keep = row.pointee.keep, isSync = row.pointee.isSync
            let ended = m & isSync, endedSync = s
            m = (m & keep) | bit
            s &+= t & Int64(bitPattern: isSync)
            if ended != 0 { return (ended, endedSync) }
        }
        return (0, s)
    }

    /// Slot `slot`'s bit when `x` (a tag's time past its window's start) lies in `0...width`, else 0: both x and
    /// width − x non-negative, tested by their sign bits, so that the select stays a mask (no branch).
    @inline(__always)
    static func windowBit(_ x: Int64, width: Int64, slot: UInt64) -> UInt64 {
        (UInt64(1) &<< slot) & ~UInt64(bitPattern: (x | (width &- x)) >> 63)
    }

    /// The bits of a channel's second and later slots (time-bin layouts) that contain `t`.
    @inline(never)
    static func extraBits(_ t: Int64, _ row: Row, _ extras: UnsafePointer<Row>?) -> UInt64 {
        guard let extras else { return 0 }
        var bit: UInt64 = 0
        for k in Int(row.extraFirst)..<Int(row.extraFirst &+ row.extraCount) {
            let e = extras[k], x = t &- e.offset
            bit |= windowBit(x, width: e.width, slot: UInt64(e.slot))
        }
        return bit
    }

    /// Records the herald (if any) of a period whose clicked-slot mask is `mask`; the period before the
    /// first sync (index −1) never heralds.
    static func record(_ mask: UInt64, sync: Int64, index: Int64, patternMasks: [UInt64], heralds: inout [Int64],
                               coincidences: inout Int64,
                               into out: inout [EngineHerald]) {
        guard index >= 0, mask != 0 else { return }
        if mask.nonzeroBitCount >= 2 { coincidences += 1 }
        guard let i = patternMasks.firstIndex(of: mask) else { return }
        heralds[i] += 1
        out.append(EngineHerald(syncPicoseconds: sync, syncIndex: index, pattern: i))
    }

    /// Processes an array of tags.
    public mutating func process(_ tags: [TimeTag]) -> [EngineHerald] {
        var out: [EngineHerald] = []
        tags.withUnsafeBufferPointer { process($0, into: &out) }
        return out
    }

    /// The pattern one attempt's tags make (this engine's state and counts are left as they are).
    public func pattern(ofAttempt tags: [TimeTag], sync: Int64) -> Int? {
        var engine = self
        engine.mask = 0
        let found = engine.process([TimeTag(channel: syncChannel, picoseconds: sync)] + tags.sorted()) + engine.flush()
        return found.first?.pattern
    }

    /// Decides the open period and closes it, so that no later click counts towards it: for a live
    /// stream whose last attempt is known to be over (a burst ended) before another sync arrives.
    public mutating func close() -> [EngineHerald] {
        defer { sync = Int64.min / 4 }
        return flush()
    }

    /// Decides the open period (at the end of a stream, or before reading counts).
    public mutating func flush() -> [EngineHerald] {
        var out: [EngineHerald] = []
        Self.record(mask, sync: sync, index: syncs - 1, patternMasks: patternMasks, heralds: &heralds,
                        coincidences: &coincidences, into: &out)
        mask = 0
        return out
    }
}
