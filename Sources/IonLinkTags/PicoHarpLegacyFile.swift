import Foundation
import IonLink

/// Reads legacy PicoHarp 300 TTTR files (`.pt2` and `.pt3`, file format 2.0): a fixed binary header
/// (text header 328 bytes, binary header 208, one board header 156, TTTR header 36, then `ImgHdrSize`
/// 32-bit words), then PicoHarp T2 or T3 records, as PicoQuant's pt2demo.c and pt3demo.c lay them out
/// (4-byte packing). T2 (measurement mode 2) counts in 4 ps; in T3 (mode 3) the sync period is
/// 1/`CntRate0` and the dtime bin is the board's `Resolution` (ns).
public enum PicoHarpLegacyFile {
    static let textHeader = 328, binaryHeader = 208, boardHeader = 156, tttrHeader = 36

    /// Reads a whole file in memory (see ``TTTRStream`` for files of any size).
    public static func read(_ data: [UInt8]) throws(TTTRFileError) -> TTTRData {
        try TTTRStream(TTTRBytes(data), layout: layout(TTTRBytes(data))).readAll()
    }

    /// Where the file's records are, from its fixed header.
    static func layout(_ file: TTTRBytes) throws(TTTRFileError) -> TTTRLayout {
        let fixed = textHeader + binaryHeader + boardHeader + tttrHeader
        guard file.count >= fixed else { throw .truncated(offset: file.count, needed: fixed - file.count) }
        let data = try file.bytes(at: 0, length: fixed)
        let ident = String(decoding: data[0..<16].prefix { $0 != 0 }, as: UTF8.self)
        guard ident == "PicoHarp 300" else { throw .wrongMagic(found: ident) }
        let version = String(decoding: data[16..<22].prefix { $0 != 0 }, as: UTF8.self)
        guard version.hasPrefix("2.0") else { throw .malformedHeader(offset: 16, message: "format version \(version); only 2.0 is read") }
        func int32(_ o: Int) -> Int32 { Int32(bitPattern: PTUFile.le32(data, o)) }
        let bin = textHeader
        let boards = int32(bin + 12), measMode = int32(bin + 20)
        guard measMode == 2 || measMode == 3 else {
            throw .malformedHeader(offset: bin + 20, message: "measurement mode \(measMode), not T2 (2) or T3 (3)")
        }
        guard boards == 1 else { throw .malformedHeader(offset: bin + 12, message: "\(boards) boards; one is read") }
        let board = bin + binaryHeader
        let resolutionNS = Double(Float(bitPattern: PTUFile.le32(data, board + 48)))
        guard measMode == 2 || (resolutionNS > 0 && resolutionNS <= 1e9) else {
            throw .malformedHeader(offset: board + 48, message: "resolution \(resolutionNS) ns")
        }
        let tttr = board + boardHeader
        let syncRate = int32(tttr + 12), records = Int(int32(tttr + 28)), imageWords = Int(int32(tttr + 32))
        guard measMode == 2 || syncRate > 0 else { throw .malformedHeader(offset: tttr + 12, message: "sync rate \(syncRate)") }
        guard imageWords >= 0, records >= 0 else { throw .malformedHeader(offset: tttr + 28, message: "negative sizes") }
        let start = tttr + tttrHeader + 4 * imageWords
        let end = start + 4 * records
        guard end <= file.count else { throw .truncated(offset: file.count, needed: end - file.count) }
        var header: [String: String] = ["Ident": ident, "FormatVersion": version, "SyncRate": "\(syncRate)",
                                        "Resolution_ns": "\(resolutionNS)", "Records": "\(records)"]
        header["HardwareIdent"] = String(decoding: data[board..<(board + 16)].prefix { $0 != 0 }, as: UTF8.self)
        let type: PTURecordType = measMode == 2 ? .picoHarpT2 : .picoHarpT3
        let global = measMode == 2 ? 4.0 : 1e12 / Double(syncRate)   // pt2demo.c: RESOL 4 ps
        return TTTRLayout(recordType: type, header: header, recordOffset: start, recordCount: records, globalPS: global,
                          resolutionPS: resolutionNS * 1e3)
    }
}
