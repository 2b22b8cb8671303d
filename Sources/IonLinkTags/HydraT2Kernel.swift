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
    ///   - table: room for 65 rows (one per tag), overwritten: each tag's engine row with a count of its own.
    ///   - counts: tags per channel (128 rows), added to.
    ///   - lastIndex: set to the index of the last record that gave a tag (unchanged if none did).
    mutating func processHydraT2(_ records: UnsafePointer<UInt32>, count: Int, offset: Int, unit: Int64, v1: Bool,
                                 decoder: inout RecordDecoder, table: UnsafeMutablePointer<Row>, counts: UnsafeMutablePointer<Int64>,
                                 markers: inout [TimeTag], lastIndex: inout Int, into out: inout [EngineHerald]) throws(TTTRFileError) {
        for c in 0...64 {
            table[c] = rows[Self.row(of: Int32(c), outside: outside)]
            table[c].count = 0
        }
        let syncTag = (0...64).contains(syncChannel) ? Int(syncChannel) : 0
        let syncsBefore = syncs
        var overflow = decoder.overflow, overflows = decoder.overflows, previous = decoder.lastPS
        var base = overflow &* unit, s = sync, m = mask, lastI = lastIndex
        defer {
            decoder.overflow = overflow
            decoder.overflows = overflows
            decoder.lastPS = previous
            sync = s
            mask = m
            lastIndex = lastI
            for c in 0...64 where table[c].count != 0 {
                rows[Self.row(of: Int32(c), outside: outside)].count &+= table[c].count
                counts[c] &+= table[c].count
            }
        }
        try extraSlots.withUnsafeBufferPointer { (extras) throws(TTTRFileError) in
            for i in 0..<count {
                let rec = UInt32(littleEndian: records[i]), special = rec >> 31, channel = (rec >> 25) & 0x3F
                let t = base &+ Int64(rec & 0x01FF_FFFF) &* unit
                if _slowPath(special != 0 && channel != 0) {
                    let timetag = Int64(rec & 0x01FF_FFFF)
                    if channel == 0x3F {
                        overflow &+= v1 ? 33_552_000 : 33_554_432 &* max(1, timetag)
                        overflows += 1
                        base = overflow &* unit
                    } else {
                        markers.append(TimeTag(channel: Int32(channel), picoseconds: t))
                    }
                    continue
                }
                if _slowPath(t < previous) { throw .nonMonotonicTime(offset: offset + 4 * i, previous: previous, found: t) }
                previous = t
                lastI = i
                // The engine's per-tag step (`scan`), on the tag's own row: a sync (keep 0) ends the period.
                let row = table + Int((channel &+ 1) & (special &- 1))
                row.pointee.count &+= 1
                let dt = t &- s, x = dt &- row.pointee.offset
                var bit = (UInt64(1) &<< UInt64(row.pointee.slot)) & ~UInt64(bitPattern: (x | (row.pointee.width &- x)) >> 63)
                if _slowPath(row.pointee.extraCount != 0) { bit |= Self.extraBits(dt, row.pointee, extras.baseAddress) }
                let isSync = row.pointee.isSync, ended = m & isSync
                if _slowPath(ended != 0) {
                    Self.record(ended, sync: s, index: syncsBefore &+ table[syncTag].count &- 2, patternMasks: patternMasks,
                                heralds: &heralds, coincidences: &coincidences, into: &out)
                }
                m = (m & row.pointee.keep) | bit
                s &+= dt & Int64(bitPattern: isSync)
            }
        }
    }
}
