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
/// pattern p when its set of clicked slots equals p's exactly — decided as soon as a later tag shows
/// that every window of the period has closed (or the next sync arrives). Counts per channel and per
/// pattern accumulate. No allocation per tag: the per-channel tables are flat arrays.
public struct HeraldEngine: Sendable {
    public let slots: [EngineSlot]
    public let patterns: [EnginePattern]
    public let syncChannel: Int32
    /// Per-channel delay added to every tag of that channel, ps.
    public let delays: [Int32: Int64]

    // Flat tables indexed by channel.
    private let channelCount: Int
    private let delayOf: [Int64]
    private let firstSlotOf: [Int32]   // index into slotTable, or -1
    private let slotCountOf: [Int32]
    private let slotTable: [(start: Int64, end: Int64, bit: UInt64)]
    private let patternMasks: [UInt64]
    /// Latest window end over all slots: a tag this far after the sync closes the period.
    private let lastWindowEnd: Int64

    private var sync: Int64 = .min
    private var mask: UInt64 = 0
    private var decided = true

    public private(set) var syncs: Int64 = 0
    public private(set) var clicks: [Int64]
    public private(set) var heralds: [Int64]

    public init(syncChannel: Int32, slots: [EngineSlot], patterns: [EnginePattern], delays: [Int32: Int64] = [:]) {
        precondition(slots.count <= 64, "at most 64 slots")
        self.syncChannel = syncChannel
        self.slots = slots
        self.patterns = patterns
        self.delays = delays
        let maxChannel = Int(([syncChannel] + slots.map(\.channel) + Array(delays.keys)).max() ?? 0)
        channelCount = maxChannel + 1
        var delay = [Int64](repeating: 0, count: channelCount)
        for (c, d) in delays where c >= 0 { delay[Int(c)] = d }
        delayOf = delay
        var first = [Int32](repeating: -1, count: channelCount), count = [Int32](repeating: 0, count: channelCount)
        var table: [(Int64, Int64, UInt64)] = []
        for c in 0..<channelCount {
            let mine = slots.enumerated().filter { Int($0.element.channel) == c }
            if !mine.isEmpty { first[c] = Int32(table.count) }
            count[c] = Int32(mine.count)
            for (i, s) in mine { table.append((s.window.lowerBound, s.window.upperBound, UInt64(1) << UInt64(i))) }
        }
        firstSlotOf = first
        slotCountOf = count
        slotTable = table
        patternMasks = patterns.map { $0.slots.reduce(UInt64(0)) { $0 | (UInt64(1) << UInt64($1)) } }
        lastWindowEnd = slots.map(\.window.upperBound).max() ?? 0
        clicks = Array(repeating: 0, count: channelCount)
        heralds = Array(repeating: 0, count: patterns.count)
    }

    /// The per-stream state the hot loop carries from tag to tag.
    struct LoopState {
        var sync: Int64
        var mask: UInt64
        var decided: Bool
        var syncs: Int64
    }

    /// Processes tags (in time order) and appends every decided herald to `out`.
    ///
    /// The loop runs on unsafe views of the tables and a local copy of the state, so nothing is
    /// reference-counted or bounds-checked per tag.
    public mutating func process(_ tags: UnsafeBufferPointer<TimeTag>, into out: inout [EngineHerald]) {
        var state = LoopState(sync: sync, mask: mask, decided: decided, syncs: syncs)
        let syncChannel = self.syncChannel, lastEnd = lastWindowEnd, count = channelCount
        clicks.withUnsafeMutableBufferPointer { clicks in
            heralds.withUnsafeMutableBufferPointer { heralds in
                delayOf.withUnsafeBufferPointer { delay in
                    firstSlotOf.withUnsafeBufferPointer { first in
                        slotCountOf.withUnsafeBufferPointer { slotCount in
                            slotTable.withUnsafeBufferPointer { table in
                                patternMasks.withUnsafeBufferPointer { masks in
                                    Self.loop(tags, &state, &out, syncChannel: syncChannel, lastEnd: lastEnd, count: count,
                                              clicks: clicks, heralds: heralds, delay: delay, first: first, slotCount: slotCount,
                                              table: table, masks: masks)
                                }
                            }
                        }
                    }
                }
            }
        }
        sync = state.sync
        mask = state.mask
        decided = state.decided
        syncs = state.syncs
    }

    @inline(__always)
    static func loop(_ tags: UnsafeBufferPointer<TimeTag>, _ s: inout LoopState, _ out: inout [EngineHerald], syncChannel: Int32,
                     lastEnd: Int64, count: Int, clicks: UnsafeMutableBufferPointer<Int64>, heralds: UnsafeMutableBufferPointer<Int64>,
                     delay: UnsafeBufferPointer<Int64>, first: UnsafeBufferPointer<Int32>, slotCount: UnsafeBufferPointer<Int32>,
                     table: UnsafeBufferPointer<(start: Int64, end: Int64, bit: UInt64)>, masks: UnsafeBufferPointer<UInt64>) {
        for tag in tags {
            if tag.channel == syncChannel {
                decide(&s, &out, heralds: heralds, masks: masks)
                s.sync = tag.picoseconds
                s.syncs += 1
                s.mask = 0
                s.decided = false
                continue
            }
            let c = Int(tag.channel)
            guard c >= 0 && c < count else { continue }
            clicks[c] &+= 1
            if s.decided { continue }
            let t = tag.picoseconds &+ delay[c] &- s.sync
            if t > lastEnd { decide(&s, &out, heralds: heralds, masks: masks); continue }
            let f = Int(first[c])
            if f < 0 { continue }
            for k in f..<(f + Int(slotCount[c])) {
                let slot = table[k]
                if t >= slot.start && t <= slot.end { s.mask |= slot.bit }
            }
        }
    }

    @inline(__always)
    static func decide(_ s: inout LoopState, _ out: inout [EngineHerald], heralds: UnsafeMutableBufferPointer<Int64>,
                       masks: UnsafeBufferPointer<UInt64>) {
        guard !s.decided else { return }
        s.decided = true
        guard s.mask != 0 else { return }
        for i in 0..<masks.count where masks[i] == s.mask {
            heralds[i] += 1
            out.append(EngineHerald(syncPicoseconds: s.sync, syncIndex: s.syncs - 1, pattern: i))
            return
        }
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
        engine.sync = .min
        engine.mask = 0
        engine.decided = true
        let found = engine.process([TimeTag(channel: syncChannel, picoseconds: sync)] + tags.sorted()) + engine.flush()
        return found.first?.pattern
    }

    /// Decides the open period (at the end of a stream, or before reading counts).
    public mutating func flush() -> [EngineHerald] {
        var out: [EngineHerald] = []
        decide(into: &out)
        return out
    }

    private mutating func decide(into out: inout [EngineHerald]) {
        var state = LoopState(sync: sync, mask: mask, decided: decided, syncs: syncs)
        heralds.withUnsafeMutableBufferPointer { heralds in
            patternMasks.withUnsafeBufferPointer { masks in Self.decide(&state, &out, heralds: heralds, masks: masks) }
        }
        decided = state.decided
    }
}
