import IonLink

/// Decodes PicoQuant's 32-bit T2/T3 records chunk by chunk, with overflow and marker handling as in
/// PicoQuant's published demo code (PTU file format documentation and demos, github.com/PicoQuant):
/// the overflow count, the last time (to refuse time running backwards) and the tags per channel
/// carry from one chunk to the next.
struct RecordDecoder {
    let type: PTURecordType
    let globalPS: Double
    let resolutionPS: Double
    /// The global resolution as a whole number of picoseconds, when it is one (T2 files): times
    /// then convert by an integer multiply instead of a rounded floating-point product.
    let wholeGlobalPS: Int64?
    /// Overflow periods so far, in global-resolution units.
    var overflow: Int64 = 0
    var overflows = 0
    var lastPS: Int64 = .min
    var lastSync: Int64 = -1

    init(type: PTURecordType, globalPS: Double, resolutionPS: Double) {
        self.type = type
        self.globalPS = globalPS
        self.resolutionPS = resolutionPS
        wholeGlobalPS = globalPS.rounded() == globalPS && globalPS >= 1 && globalPS < 1e6 ? Int64(globalPS) : nil
    }

    /// The most tags one record can give (a T3 photon of a new sync period gives the sync and itself).
    static let tagsPerRecord = 2

    /// A picosecond count as Int64, saturating instead of trapping far outside any real measurement.
    @inline(__always) static func clamped(_ x: Double) -> Int64 {
        x >= 9.2e18 ? .max : x <= -9.2e18 ? .min : x.isNaN ? 0 : Int64(x)
    }

    /// Decodes `count` little-endian records at `raw` (the first at file byte `offset`) into `out`, which
    /// has room for ``tagsPerRecord`` × `count` tags, counting tags per channel into `counts` (128 rows);
    /// markers are appended to `markers`. Returns the number of tags written.
    ///
    /// Overflow counts wrap rather than trap: a file that pushes them that far has times running
    /// backwards, which is refused with the offset.
    mutating func decode(_ raw: UnsafeRawPointer, count: Int, offset: Int, into out: UnsafeMutablePointer<TimeTag>,
                         counts: UnsafeMutablePointer<Int64>, markers: inout [TimeTag]) throws(TTTRFileError) -> Int {
        var n = 0, overflow = self.overflow, last = self.lastPS, lastSync = self.lastSync, overflows = self.overflows
        defer { self.overflow = overflow; self.lastPS = last; self.lastSync = lastSync; self.overflows = overflows }
        let k = wholeGlobalPS ?? 0, global = globalPS, resolution = resolutionPS
        @inline(__always) func ps(_ units: Int64) -> Int64 { k != 0 ? units &* k : Self.clamped((Double(units) * global).rounded()) }
        @inline(__always) func record(_ i: Int) -> UInt32 { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 &* i, as: UInt32.self)) }
        /// T2: a tag, refused if time runs backwards.
        @inline(__always) func emit(_ channel: Int32, _ t: Int64, _ i: Int) throws(TTTRFileError) {
            guard t >= last else { throw .nonMonotonicTime(offset: offset + 4 * i, previous: last, found: t) }
            last = t
            out[n] = TimeTag(channel: channel, picoseconds: t)
            n &+= 1
            counts[Int(channel)] &+= 1
        }
        /// T3: a photon at sync `nsync` and delay `dtime`; the sync itself is emitted once as channel 0.
        @inline(__always) func emitT3(_ channel: Int32, _ nsync: Int64, _ dtime: Int64, _ i: Int) throws(TTTRFileError) {
            let syncPS = ps(nsync)
            if nsync != lastSync {
                guard nsync > lastSync else { throw .nonMonotonicTime(offset: offset + 4 * i, previous: last, found: syncPS) }
                lastSync = nsync
                last = syncPS
                out[n] = TimeTag(channel: 0, picoseconds: syncPS)
                n &+= 1
                counts[0] &+= 1
            }
            out[n] = TimeTag(channel: channel, picoseconds: syncPS &+ Self.clamped((Double(dtime) * resolution).rounded()))
            n &+= 1
            counts[Int(channel)] &+= 1
        }
        switch (type.family, type.isT3) {
        case (.picoHarp, false):
            for i in 0..<count {
                let rec = record(i), chan = Int32(rec >> 28), time = Int64(rec & 0x0FFF_FFFF)
                if chan != 0xF { try emit(chan, ps(overflow &+ time), i); continue }
                if time & 0xF == 0 {
                    overflow &+= 210_698_240
                    overflows += 1
                } else {
                    markers.append(TimeTag(channel: Int32(time & 0xF), picoseconds: ps(overflow &+ time)))
                }
            }
        case (.picoHarp, true):
            for i in 0..<count {
                let rec = record(i), nsync = Int64(rec & 0xFFFF), dtime = Int64((rec >> 16) & 0xFFF), chan = Int32(rec >> 28)
                if chan != 0xF { try emitT3(chan, overflow &+ nsync, dtime, i); continue }
                if dtime == 0 {
                    overflow &+= 65_536
                    overflows += 1
                } else {
                    markers.append(TimeTag(channel: Int32(dtime), picoseconds: ps(overflow &+ nsync)))
                }
            }
        case (let family, false) where k != 0:
            n = try Self.hydraT2(raw, count: count, offset: offset, unit: k, v1: family == .hydraHarpV1, into: out, counts: counts,
                                 overflow: &overflow, overflows: &overflows, last: &last, markers: &markers)
        case (let family, false):
            let v1 = family == .hydraHarpV1
            for i in 0..<count {
                let rec = record(i), channel = Int32((rec >> 25) & 0x3F), timetag = Int64(rec & 0x01FF_FFFF)
                if rec >> 31 == 0 { try emit(channel &+ 1, ps(overflow &+ timetag), i); continue }
                if channel == 0 { try emit(0, ps(overflow &+ timetag), i); continue }              // sync
                if channel == 0x3F {
                    overflow &+= Self.hydraOverflowUnits(timetag, v1: v1)
                    overflows += 1
                } else {
                    markers.append(TimeTag(channel: channel, picoseconds: ps(overflow &+ timetag)))
                }
            }
        case (let family, true):
            let v1 = family == .hydraHarpV1
            for i in 0..<count {
                let rec = record(i), channel = Int32((rec >> 25) & 0x3F)
                let dtime = Int64((rec >> 10) & 0x7FFF), nsync = Int64(rec & 0x3FF)
                if rec >> 31 == 0 { try emitT3(channel &+ 1, overflow &+ nsync, dtime, i); continue }
                if channel == 0x3F {
                    overflow &+= v1 ? 1_024 : 1_024 &* max(1, nsync)
                    overflows += 1
                } else {
                    markers.append(TimeTag(channel: channel, picoseconds: ps(overflow &+ nsync)))
                }
            }
        }
        return n
    }

    /// A HydraHarp / TimeHarp 260 / MultiHarp T2 photon or sync record's tag: 0 for the sync (special, channel 0),
    /// `channel + 1` for an input; a select, not a branch. (The hot loops write it out, reusing the channel they
    /// have already shifted out.)
    @inline(__always) static func hydraT2Tag(_ rec: UInt32) -> Int32 {
        (Int32(truncatingIfNeeded: (rec >> 25) & 0x3F) &+ 1) & (Int32(truncatingIfNeeded: rec >> 31) &- 1)
    }

    /// The global-resolution units a HydraHarp-family overflow record adds: a fixed 33 552 000 in v1 files, 2²⁵ times
    /// the record's count (0 read as 1) in v2 and later.
    @inline(__always) static func hydraOverflowUnits(_ timetag: Int64, v1: Bool) -> Int64 {
        v1 ? 33_552_000 : 33_554_432 &* max(1, timetag)
    }

    /// HydraHarp / TimeHarp 260 / MultiHarp T2 records with a whole-picosecond time unit (the usual 1 ps):
    /// the hot loop of a replay. Its state stays in registers, and the common records (photons and syncs)
    /// take no data-dependent branch: the channel is a select.
    @inline(never)
    static func hydraT2(_ raw: UnsafeRawPointer, count: Int, offset: Int, unit: Int64, v1: Bool, into out: UnsafeMutablePointer<TimeTag>,
                        counts: UnsafeMutablePointer<Int64>, overflow: inout Int64, overflows: inout Int, last: inout Int64,
                        markers: inout [TimeTag]) throws(TTTRFileError) -> Int {
        var n = 0, base = overflow &* unit, previous = last
        defer { last = previous }
        let records = raw.assumingMemoryBound(to: UInt32.self)
        for i in 0..<count {
            let rec = UInt32(littleEndian: records[i]), special = rec >> 31, channel = Int32(truncatingIfNeeded: (rec >> 25) & 0x3F)
            let t = base &+ Int64(rec & 0x01FF_FFFF) &* unit
            if _slowPath(special != 0 && channel != 0) {
                let timetag = Int64(rec & 0x01FF_FFFF)
                if channel == 0x3F {
                    overflow &+= hydraOverflowUnits(timetag, v1: v1)
                    overflows += 1
                    base = overflow &* unit
                } else {
                    markers.append(TimeTag(channel: channel, picoseconds: t))
                }
                continue
            }
            // A photon on input `channel + 1`, or (special, channel 0) the sync.
            // `hydraT2Tag`, written out: the helper would shift the record a second time.
            let tag = (channel &+ 1) & (Int32(truncatingIfNeeded: special) &- 1)
            if _slowPath(t < previous) { throw .nonMonotonicTime(offset: offset + 4 * i, previous: previous, found: t) }
            previous = t
            out[n] = TimeTag(channel: tag, picoseconds: t)
            n &+= 1
            counts[Int(tag)] &+= 1
        }
        return n
    }
}
