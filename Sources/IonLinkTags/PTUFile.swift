import Foundation
import IonLink

/// The record formats of PicoQuant's tagged (PTU) files, by `TTResultFormat_TTTRRecType`.
public enum PTURecordType: UInt32, Sendable, CaseIterable {
    case picoHarpT2 = 0x0001_0203, picoHarpT3 = 0x0001_0303
    case hydraHarpV1T2 = 0x0001_0204, hydraHarpV1T3 = 0x0001_0304
    case hydraHarpV2T2 = 0x0101_0204, hydraHarpV2T3 = 0x0101_0304
    case timeHarp260NT2 = 0x0001_0205, timeHarp260NT3 = 0x0001_0305
    case timeHarp260PT2 = 0x0001_0206, timeHarp260PT3 = 0x0001_0306
    case multiHarpT2 = 0x0001_0207, multiHarpT3 = 0x0001_0307

    public var isT3: Bool { rawValue & 0xFF00 == 0x0300 }
    /// HydraHarp v2, TimeHarp 260 and MultiHarp share one record layout (multi-overflow records).
    var family: Family {
        switch self {
        case .picoHarpT2, .picoHarpT3: .picoHarp
        case .hydraHarpV1T2, .hydraHarpV1T3: .hydraHarpV1
        default: .hydraHarpV2
        }
    }
    enum Family { case picoHarp, hydraHarpV1, hydraHarpV2 }
}

/// A decoded time-tag file: tags in time order (channel 0 is the sync, detector inputs from 1),
/// markers, and the header's values.
public struct TTTRData: Sendable {
    public var recordType: PTURecordType
    public var tags: [TimeTag]
    public var markers: [TimeTag]
    public var records: Int
    public var overflows: Int
    /// Every header tag, by name (with `[index]` for array elements), as text.
    public var header: [String: String]
}

/// Reads and writes PicoQuant PTU files: the tagged header and the 32-bit T2/T3 records of PicoHarp,
/// HydraHarp (v1 and v2), TimeHarp 260 and MultiHarp, with overflow and marker handling as in
/// PicoQuant's published demo code (PTU file format documentation and demos, github.com/PicoQuant).
public enum PTUFile {
    static let magic = Array("PQTTTR\0\0".utf8)
    enum TagType: UInt32 {
        case empty8 = 0xFFFF_0008, bool8 = 0x0000_0008, int8 = 0x1000_0008, bitSet64 = 0x1100_0008, color8 = 0x1200_0008
        case float8 = 0x2000_0008, dateTime = 0x2100_0008, float8Array = 0x2001_FFFF, ansiString = 0x4001_FFFF
        case wideString = 0x4002_FFFF, binaryBlob = 0xFFFF_FFFF
    }

    // MARK: Reading

    public static func read(_ data: [UInt8]) throws(TTTRFileError) -> TTTRData {
        guard data.count >= 16 else { throw .truncated(offset: data.count, needed: 16 - data.count) }
        guard Array(data[0..<8]) == magic else {
            throw .wrongMagic(found: String(decoding: data[0..<8], as: UTF8.self))
        }
        var offset = 16
        var header: [String: String] = [:]
        var ints: [String: Int64] = [:]
        var floats: [String: Double] = [:]
        while true {
            guard offset + 48 <= data.count else { throw .truncated(offset: offset, needed: offset + 48 - data.count) }
            let identBytes = data[offset..<(offset + 32)].prefix { $0 != 0 }
            let ident = String(decoding: identBytes, as: UTF8.self)
            let index = Int32(bitPattern: le32(data, offset + 32))
            let typeRaw = le32(data, offset + 36)
            let value = le64(data, offset + 40)
            let tagStart = offset
            offset += 48
            // Header_End carries no value; some writers (tttrlib 0.26) leave its type field
            // uninitialised, and PicoQuant's demo readers stop at the name, so do we.
            if ident == "Header_End" { break }
            guard let type = TagType(rawValue: typeRaw) else {
                throw .malformedHeader(offset: tagStart, message: "tag \(ident) has unknown type 0x\(String(typeRaw, radix: 16))")
            }
            let name = index >= 0 ? "\(ident)[\(index)]" : ident
            switch type {
            case .empty8: header[name] = ""
            case .bool8: header[name] = value != 0 ? "true" : "false"
            case .int8, .bitSet64, .color8:
                header[name] = "\(Int64(bitPattern: value))"
                ints[ident] = Int64(bitPattern: value)
            case .float8, .dateTime:
                let d = Double(bitPattern: value)
                header[name] = "\(d)"
                floats[ident] = d
            case .float8Array, .ansiString, .wideString, .binaryBlob:
                // Compared against what is left, never added to the offset: a length near 2⁶⁴ must not overflow.
                guard let length = Int(exactly: value) else {
                    throw .malformedHeader(offset: tagStart, message: "tag \(ident) claims \(value) bytes")
                }
                guard length <= data.count - offset else { throw .truncated(offset: offset, needed: length - (data.count - offset)) }
                if type == .ansiString {
                    header[name] = String(decoding: data[offset..<(offset + length)].prefix { $0 != 0 }, as: UTF8.self)
                } else {
                    header[name] = "<\(length) bytes>"
                }
                offset += length
            }
            if ident == "Header_End" { break }
        }
        guard let rt = ints["TTResultFormat_TTTRRecType"] else { throw .missingTag(name: "TTResultFormat_TTTRRecType") }
        guard let recordType = PTURecordType(rawValue: UInt32(truncatingIfNeeded: rt)) else {
            throw .unknownRecordType(offset: offset, value: UInt32(truncatingIfNeeded: rt))
        }
        guard let global = floats["MeasDesc_GlobalResolution"] else { throw .missingTag(name: "MeasDesc_GlobalResolution") }
        guard global > 0 else {
            throw .malformedHeader(offset: offset, message: "MeasDesc_GlobalResolution is \(global) (a time unit in seconds must be positive)")
        }
        let resolution = floats["MeasDesc_Resolution"] ?? global
        // A time unit outside a femtosecond…a second is no measurement's (and would overflow picoseconds).
        guard global >= 1e-15, global <= 1, resolution >= 1e-15, resolution <= 1 else {
            throw .malformedHeader(offset: offset, message: "time resolution \(global) s / \(resolution) s is outside 1 fs…1 s")
        }
        let bytes = data.count - offset
        if bytes % 4 != 0 { throw .truncated(offset: data.count - bytes % 4, needed: 4 - bytes % 4) }
        if let n = ints["TTResult_NumberOfRecords"] {
            guard n >= 0 else { throw .malformedHeader(offset: offset, message: "TTResult_NumberOfRecords is \(n)") }
            if n > Int64(bytes / 4) {
                let (needed, overflow) = n.multipliedReportingOverflow(by: 4)
                guard !overflow else { throw .malformedHeader(offset: offset, message: "TTResult_NumberOfRecords \(n) cannot fit in a file") }
                throw .truncated(offset: data.count, needed: Int(needed) - bytes)
            }
            // Fewer records in the header than in the file: which count is right cannot be known, and reading
            // either would answer silently from a part of the file or from bytes the header disowns.
            guard n == Int64(bytes / 4) else {
                throw .malformedHeader(offset: offset, message: "TTResult_NumberOfRecords is \(n) but the file holds \(bytes / 4) records")
            }
        }
        let decoder = RecordDecoder(type: recordType, globalPS: global * 1e12, resolutionPS: resolution * 1e12)
        return try decoder.decodeRecords(data, from: offset, to: data.count, header: header)
    }

    public static func read(contentsOf url: URL) throws -> TTTRData {
        try read(Array(try Data(contentsOf: url)))
    }

    @inline(__always) static func le32(_ d: [UInt8], _ o: Int) -> UInt32 {
        UInt32(d[o]) | UInt32(d[o + 1]) << 8 | UInt32(d[o + 2]) << 16 | UInt32(d[o + 3]) << 24
    }
    @inline(__always) static func le64(_ d: [UInt8], _ o: Int) -> UInt64 {
        UInt64(le32(d, o)) | UInt64(le32(d, o + 4)) << 32
    }

    /// Record decoding state: the overflow count and the last time (to reject time running backwards).
    struct RecordDecoder {
        let type: PTURecordType
        let globalPS: Double
        let resolutionPS: Double
        /// The global resolution as a whole number of picoseconds, when it is one (T2 files): times
        /// then convert by an integer multiply instead of a rounded floating-point product.
        let wholeGlobalPS: Int64?
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

        /// Decodes the 32-bit records in `data[start..<end]` (whole records, little-endian).
        consuming func decodeRecords(_ data: [UInt8], from start: Int, to end: Int, header: [String: String]) throws(TTTRFileError) -> TTTRData {
            var tags: [TimeTag] = [], markers: [TimeTag] = []
            tags.reserveCapacity((end - start) / 4)
            let failure = data.withUnsafeBytes { raw -> TTTRFileError? in
                do throws(TTTRFileError) {
                    var o = start
                    while o + 4 <= end {
                        try decode(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)), at: o,
                                   tags: &tags, markers: &markers)
                        o += 4
                    }
                    return nil
                } catch { return error }
            }
            if let failure { throw failure }
            return TTTRData(recordType: type, tags: tags, markers: markers, records: (end - start) / 4, overflows: overflows, header: header)
        }

        /// Picoseconds of a count of global-resolution units.
        /// (Overflow counts wrap rather than trap: a file that pushes them that far has times running
        /// backwards, which `emit` refuses with the offset.)
        @inline(__always) func ps(_ units: Int64) -> Int64 {
            if let k = wholeGlobalPS { return units &* k }
            return Self.clamped((Double(units) * globalPS).rounded())
        }

        /// A picosecond count as Int64, saturating instead of trapping far outside any real measurement.
        @inline(__always) static func clamped(_ x: Double) -> Int64 {
            x >= 9.2e18 ? .max : x <= -9.2e18 ? .min : x.isNaN ? 0 : Int64(x)
        }

        @inline(__always)
        mutating func emit(_ channel: Int32, _ ps: Int64, at offset: Int, tags: inout [TimeTag]) throws(TTTRFileError) {
            guard ps >= lastPS else { throw .nonMonotonicTime(offset: offset, previous: lastPS, found: ps) }
            lastPS = ps
            tags.append(TimeTag(channel: channel, picoseconds: ps))
        }

        /// T3: a photon at sync `nsync` and delay `dtime`; the sync itself is emitted once as channel 0.
        @inline(__always)
        mutating func emitT3(_ channel: Int32, nsync: Int64, dtime: Int64, at offset: Int, tags: inout [TimeTag]) throws(TTTRFileError) {
            let syncPS = ps(nsync)
            if nsync != lastSync {
                guard nsync > lastSync else { throw .nonMonotonicTime(offset: offset, previous: lastPS, found: syncPS) }
                lastSync = nsync
                lastPS = syncPS
                tags.append(TimeTag(channel: 0, picoseconds: syncPS))
            }
            tags.append(TimeTag(channel: channel, picoseconds: syncPS &+ Self.clamped((Double(dtime) * resolutionPS).rounded())))
        }

        @inline(__always)
        mutating func decode(_ rec: UInt32, at offset: Int, tags: inout [TimeTag], markers: inout [TimeTag]) throws(TTTRFileError) {
            switch (type.family, type.isT3) {
            case (.picoHarp, false):
                let chan = Int32(rec >> 28), time = Int64(rec & 0x0FFF_FFFF)
                if chan == 0xF {
                    if time & 0xF == 0 { overflow &+= 210_698_240; overflows += 1; return }
                    markers.append(TimeTag(channel: Int32(time & 0xF), picoseconds: ps(overflow &+ time)))
                    return
                }
                try emit(chan, ps(overflow &+ time), at: offset, tags: &tags)
            case (.picoHarp, true):
                let nsync = Int64(rec & 0xFFFF), dtime = Int64((rec >> 16) & 0xFFF), chan = Int32(rec >> 28)
                if chan == 0xF {
                    if dtime == 0 { overflow &+= 65_536; overflows += 1; return }
                    markers.append(TimeTag(channel: Int32(dtime), picoseconds: ps(overflow &+ nsync)))
                    return
                }
                try emitT3(chan, nsync: overflow &+ nsync, dtime: dtime, at: offset, tags: &tags)
            case (let family, false):
                let special = rec >> 31 != 0, channel = Int32((rec >> 25) & 0x3F), timetag = Int64(rec & 0x01FF_FFFF)
                if special {
                    if channel == 0x3F {
                        overflow &+= family == .hydraHarpV1 ? 33_552_000 : 33_554_432 * max(1, timetag)
                        overflows += 1
                        return
                    }
                    if channel == 0 { try emit(0, ps(overflow &+ timetag), at: offset, tags: &tags); return }          // sync
                    markers.append(TimeTag(channel: channel, picoseconds: ps(overflow &+ timetag)))
                    return
                }
                try emit(channel + 1, ps(overflow &+ timetag), at: offset, tags: &tags)
            case (let family, true):
                let special = rec >> 31 != 0, channel = Int32((rec >> 25) & 0x3F)
                let dtime = Int64((rec >> 10) & 0x7FFF), nsync = Int64(rec & 0x3FF)
                if special {
                    if channel == 0x3F {
                        overflow &+= family == .hydraHarpV1 ? 1_024 : 1_024 * max(1, nsync)
                        overflows += 1
                        return
                    }
                    markers.append(TimeTag(channel: channel, picoseconds: ps(overflow &+ nsync)))
                    return
                }
                try emitT3(channel + 1, nsync: overflow &+ nsync, dtime: dtime, at: offset, tags: &tags)
    }
        }
    }

    // MARK: Writing

    /// Writes tags as a HydraHarp v2 T2 file with 1 ps resolution, as PicoQuant's software and tttrlib
    /// read it. Tags of `syncChannel` become sync records; detector channels become inputs numbered from
    /// 1 (channel c is input c when the sync is channel 0, else input c + 1), so reading the file back
    /// gives channel 0 for the sync and the input number for each click.
    public static func writeT2(_ tags: [TimeTag], syncChannel: Int32 = 0, comment: String = "IonLink") -> [UInt8] {
        let shift: Int32 = syncChannel == 0 ? 0 : 1
        var records: [UInt32] = []
        records.reserveCapacity(tags.count + tags.count / 64)
        var base: Int64 = 0
        let wrap: Int64 = 33_554_432
        for t in tags.sorted() {
            precondition(t.picoseconds >= 0, "PTU times start at 0")
            let wraps = (t.picoseconds - base) / wrap
            if wraps > 0 {
                var left = wraps
                while left > 0 {
                    let n = min(left, 0x01FF_FFFF)
                    records.append(0x8000_0000 | UInt32(0x3F) << 25 | UInt32(n))
                    left -= n
                }
                base += wraps * wrap
            }
            let timetag = UInt32(t.picoseconds - base)
            if t.channel == syncChannel {
                records.append(0x8000_0000 | timetag)
            } else {
                let input = t.channel + shift
                precondition(input >= 1 && input <= 64, "PTU inputs are 1...64")
                records.append(UInt32(input - 1) << 25 | timetag)
            }
        }
        var out = magic + Array("1.0.00\0\0".utf8)
        func tag(_ name: String, _ type: TagType, _ value: UInt64, index: Int32 = -1, payload: [UInt8] = []) {
            var ident = Array(name.utf8.prefix(31))
            ident += [UInt8](repeating: 0, count: 32 - ident.count)
            out += ident
            out += withUnsafeBytes(of: index.littleEndian, Array.init)
            out += withUnsafeBytes(of: type.rawValue.littleEndian, Array.init)
            out += withUnsafeBytes(of: value.littleEndian, Array.init)
            out += payload
        }
        var text = Array(comment.utf8) + [0]
        while text.count % 8 != 0 { text.append(0) }
        tag("File_Comment", .ansiString, UInt64(text.count), payload: text)
        tag("Measurement_Mode", .int8, 2)
        tag("Measurement_SubMode", .int8, 0)
        tag("TTResultFormat_TTTRRecType", .int8, UInt64(PTURecordType.hydraHarpV2T2.rawValue))
        tag("TTResultFormat_BitsPerRecord", .int8, 32)
        tag("MeasDesc_GlobalResolution", .float8, (1e-12).bitPattern)
        tag("MeasDesc_Resolution", .float8, (1e-12).bitPattern)
        tag("HW_InpChannels", .int8, UInt64(max(1, Int(tags.filter { $0.channel != syncChannel }.map { $0.channel + shift }.max() ?? 1))))
        tag("TTResult_SyncRate", .int8, 0)
        tag("TTResult_NumberOfRecords", .int8, UInt64(records.count))
        tag("Header_End", .empty8, 0)
        out.reserveCapacity(out.count + records.count * 4)
        for r in records { out += [UInt8(r & 0xFF), UInt8((r >> 8) & 0xFF), UInt8((r >> 16) & 0xFF), UInt8(r >> 24)] }
        return out
    }
}
