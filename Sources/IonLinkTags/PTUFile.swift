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

    /// Reads a whole PTU file in memory (see ``TTTRStream`` for files of any size).
    public static func read(_ data: [UInt8]) throws(TTTRFileError) -> TTTRData {
        try TTTRStream(TTTRBytes(data), layout: layout(TTTRBytes(data))).readAll()
    }

    public static func read(contentsOf url: URL) throws -> TTTRData { try TTTRFile.read(contentsOf: url) }

    /// Where a PTU file's records are and how to decode them, from its tagged header (read tag by tag:
    /// nothing past the header is touched).
    static func layout(_ file: TTTRBytes) throws(TTTRFileError) -> TTTRLayout {
        guard file.count >= 16 else { throw .truncated(offset: file.count, needed: 16 - file.count) }
        let start = try file.bytes(at: 0, length: 8)
        guard start == magic else { throw .wrongMagic(found: String(decoding: start, as: UTF8.self)) }
        var offset = 16
        var header: [String: String] = [:]
        var ints: [String: Int64] = [:]
        var floats: [String: Double] = [:]
        while true {
            guard offset + 48 <= file.count else { throw .truncated(offset: offset, needed: offset + 48 - file.count) }
            let entry = try file.bytes(at: offset, length: 48)
            let ident = String(decoding: entry[0..<32].prefix { $0 != 0 }, as: UTF8.self)
            let index = Int32(bitPattern: le32(entry, 32))
            let typeRaw = le32(entry, 36)
            let value = le64(entry, 40)
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
                guard length <= file.count - offset else { throw .truncated(offset: offset, needed: length - (file.count - offset)) }
                if type == .ansiString && length <= longestString {
                    header[name] = String(decoding: try file.bytes(at: offset, length: length).prefix { $0 != 0 }, as: UTF8.self)
                } else {
                    header[name] = "<\(length) bytes>"
                }
                offset += length
            }
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
        let bytes = file.count - offset
        if bytes % 4 != 0 { throw .truncated(offset: file.count - bytes % 4, needed: 4 - bytes % 4) }
        if let n = ints["TTResult_NumberOfRecords"] {
            guard n >= 0 else { throw .malformedHeader(offset: offset, message: "TTResult_NumberOfRecords is \(n)") }
            if n > Int64(bytes / 4) {
                let (needed, overflow) = n.multipliedReportingOverflow(by: 4)
                guard !overflow else { throw .malformedHeader(offset: offset, message: "TTResult_NumberOfRecords \(n) cannot fit in a file") }
                throw .truncated(offset: file.count, needed: Int(needed) - bytes)
            }
            // Fewer records in the header than in the file: which count is right cannot be known, and reading
            // either would answer silently from a part of the file or from bytes the header disowns.
            guard n == Int64(bytes / 4) else {
                throw .malformedHeader(offset: offset, message: "TTResult_NumberOfRecords is \(n) but the file holds \(bytes / 4) records")
            }
        }
        return TTTRLayout(recordType: recordType, header: header, recordOffset: offset, recordCount: bytes / 4,
                          globalPS: global * 1e12, resolutionPS: resolution * 1e12)
    }

    /// The longest header string kept as text; longer ones are listed by size.
    static let longestString = 1 << 20

    @inline(__always) static func le32(_ d: [UInt8], _ o: Int) -> UInt32 {
        UInt32(d[o]) | UInt32(d[o + 1]) << 8 | UInt32(d[o + 2]) << 16 | UInt32(d[o + 3]) << 24
    }
    @inline(__always) static func le64(_ d: [UInt8], _ o: Int) -> UInt64 {
        UInt64(le32(d, o)) | UInt64(le32(d, o + 4)) << 32
    }

    // MARK: Writing

    /// Writes tags (in any order) as a HydraHarp v2 T2 file in memory; see ``PTUWriter``.
    /// - Precondition: times are non-negative and detector channels map to inputs 1…64.
    public static func writeT2(_ tags: [TimeTag], syncChannel: Int32 = 0, comment: String = "IonLink") -> [UInt8] {
        let writer = PTUWriter(syncChannel: syncChannel, comment: comment)
        do {
            try writer.write(tags.sorted())
            return try writer.finish()
        } catch { preconditionFailure("PTU: \(error)") }
    }
}
