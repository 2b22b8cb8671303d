import IonLink

extension HeraldEngine {
    /// HydraHarp / TimeHarp 260 / MultiHarp T2 records with a whole-picosecond time unit decoded straight
    /// into the engine: replay's hot loop. It makes the same decisions and counts as decoding the records
    /// (`RecordDecoder.hydraT2`) and handing the tags to ``process(_:into:)``, without writing a
    /// ``TimeTag`` in between — one loop, one counter per record instead of two.
    ///
    /// Record layout (PicoQuant's PTU demo code, github.com/PicoQuant): bit 31 special, bits 25–30 the
    /// channel, bits 0–24 the time tag; special channel 63 is an overflow (v2: the time tag counts them),
    /// special channels 1–15 markers, special channel 0 the sync. A record's tag is 0 for the sync and
    /// `channel + 1` for an input, 0…64 in all.
    ///
    /// - Parameters:
    ///   - table: room for 65 rows (one per tag), overwritten: each tag's window, slot and a count of its own.
    ///   - counts: tags per channel (128 rows), added to.
    ///   - lastIndex: set to the index of the last record that gave a tag (unchanged if none did).
    mutating func processHydraT2(_ records: UnsafePointer<UInt32>, count: Int, offset: Int, unit: Int64, v1: Bool,
                                 decoder: inout RecordDecoder, table: UnsafeMutablePointer<KernelRow>, counts: UnsafeMutablePointer<Int64>,
                                 markers: inout [TimeTag], lastIndex: inout Int, into out: inout [EngineHerald]) throws(TTTRFileError) {
        for c in 0...64 {
            let r = rows[Self.row(of: Int32(c), outside: outside)]
            table[c] = KernelRow(offset: r.offset, width: r.width, slot: UInt64(r.slot), keep: r.keep,
                                 extras: r.extraCount != 0 ? c : -1)
        }
        let syncTag = (0...64).contains(syncChannel) ? Int(syncChannel) : 0
        var state = KernelState(overflow: decoder.overflow, overflows: decoder.overflows, previous: decoder.lastPS, sync: sync, mask: mask,
                                lastIndex: lastIndex, syncsBefore: syncs, syncTag: syncTag)
        defer {
            decoder.overflow = state.overflow
            decoder.overflows = state.overflows
            decoder.lastPS = state.previous
            sync = state.sync
            mask = state.mask
            lastIndex = state.lastIndex
            for c in 0...64 where table[c].count != 0 {
                rows[Self.row(of: Int32(c), outside: outside)].count &+= table[c].count
                counts[c] &+= table[c].count
            }
        }
        // The scan stops at whatever is rare (an overflow or marker record, a period with clicks ended, a
        // time-bin channel, time running backwards); it is handled here and the scan goes on from there.
        var i = 0
        while i < count {
            let event = unit == 1
                ? Self.hydraT2Scan(records, from: &i, count: count, unit: 1, table: table, state: &state)
                : Self.hydraT2Scan(records, from: &i, count: count, unit: unit, table: table, state: &state)
            switch event {
            case .end: return
            case .special:
                let rec = UInt32(littleEndian: records[i]), channel = (rec >> 25) & 0x3F, timetag = Int64(rec & 0x01FF_FFFF)
                if channel == 0x3F {
                    state.overflow &+= RecordDecoder.hydraOverflowUnits(timetag, v1: v1)
                    state.overflows += 1
                } else {
                    markers.append(TimeTag(channel: Int32(channel), picoseconds: state.overflow &* unit &+ timetag &* unit))
                }
                i += 1
            case let .backwards(found):
                throw .nonMonotonicTime(offset: offset + 4 * i, previous: state.previous, found: found)
            case let .ended(ended, sync):
                Self.record(ended, sync: sync, index: state.syncsBefore &+ table[state.syncTag].count &- 2, patternMasks: patternMasks,
                            heralds: &heralds, coincidences: &coincidences, into: &out)
            case let .bins(tag, dt):
                state.mask |= extraBits(dt, tag: tag)
            }
        }
    }

    /// One tag's row of the fused loop: the engine's window test for the tag's first slot, its slot, whether it
    /// is a sync (`keep` zero) and the tag's count; `extras` is the tag when its channel has further slots.
    /// The slot is stored as its index, as in the engine's rows: a select between a shifted one and zero stays
    /// branch-free, one between a loaded bit and zero is compiled to a branch.
    struct KernelRow {
        var offset: Int64 = 0
        var width: Int64 = -1
        var slot: UInt64 = 0
        var keep: UInt64 = ~0
        var extras: Int = -1
        var count: Int64 = 0
        var padding: (Int64, Int64) = (0, 0)
    }

    /// The decoder's and the engine's state while a chunk is read.
    struct KernelState {
        var overflow: Int64, overflows: Int, previous: Int64, sync: Int64, mask: UInt64, lastIndex: Int
        let syncsBefore: Int64, syncTag: Int
    }

    /// Why ``hydraT2Scan(_:from:count:unit:table:state:)`` stopped.
    enum KernelEvent {
        /// The chunk is done.
        case end
        /// Record `i` is an overflow or a marker (not read).
        case special
        /// Record `i` goes back in time, to `found` ps (not read).
        case backwards(Int64)
        /// The sync just read ended a period whose clicked slots are `mask`; `sync` was its sync.
        case ended(UInt64, sync: Int64)
        /// The tag just read (with `dt` ps after its sync) has a channel with further slots (time bins).
        case bins(tag: Int, dt: Int64)
    }

    /// The per-record loop, from record `i` until the chunk's end or something rare. It makes no call, so its
    /// state stays in registers; a record's tag is 0 for the sync and `channel + 1` for an input.
    @inline(never)
    static func hydraT2Scan(_ records: UnsafePointer<UInt32>, from i: inout Int, count: Int, unit: Int64, table: UnsafeMutablePointer<KernelRow>,
                            state: inout KernelState) -> KernelEvent {
        var k = i, previous = state.previous, s = state.sync, m = state.mask, lastI = state.lastIndex
        let base = state.overflow &* unit
        defer {
            i = k
            state.previous = previous
            state.sync = s
            state.mask = m
            state.lastIndex = lastI
        }
        while k < count {
            let rec = UInt32(littleEndian: records[k]), special = rec >> 31, channel = (rec >> 25) & 0x3F
            // Special with a channel above 0: an overflow or a marker.
            if _slowPath(rec >= 0x8200_0000) { return .special }
            let t = base &+ Int64(rec & 0x01FF_FFFF) &* unit
            if _slowPath(t < previous) { return .backwards(t) }
            previous = t
            lastI = k
            k &+= 1
            // The engine's per-tag step (`scan`) on the tag's own row: a sync (keep 0) ends the period.
            // `RecordDecoder.hydraT2Tag`, written out: the helper would shift the record a second time.
            let tag = Int((channel &+ 1) & (special &- 1)), row = table + tag
            row.pointee.count &+= 1
            let dt = t &- s, x = dt &- row.pointee.offset
            let bit = windowBit(x, width: row.pointee.width, slot: row.pointee.slot)
            let keep = row.pointee.keep, ended = m & ~keep, endedSync = s
            m = (m & keep) | bit
            s &+= dt & ~Int64(bitPattern: keep)
            if _slowPath(row.pointee.extras >= 0) { return .bins(tag: tag, dt: dt) }
            if _slowPath(ended != 0) { return .ended(ended, sync: endedSync) }
        }
        return .end
    }

    /// The bits of the further slots (time bins) of tag `tag`'s channel that contain `dt`.
    @inline(never)
    private func extraBits(_ dt: Int64, tag: Int) -> UInt64 {
        let row = rows[Self.row(of: Int32(tag), outside: outside)]
        return extraSlots.withUnsafeBufferPointer { Self.extraBits(dt, row, $0.baseAddress) }
    }
}
