import IonLink

/// Reads legacy HydraHarp 400 TTTR files (`.ht2` and `.ht3`, file format 1.0 and 2.0), laid out as
/// PicoQuant's HydraHarp demo readers declare them (`#pragma pack(8)`):
///
/// | part | bytes |
/// |---|---|
/// | text header (Ident "HydraHarp", FormatVersion, creator, time, comment) | 328 |
/// | binary header (MeasMode at +12, Resolution in ps as a double at +24) | 208 |
/// | main hardware header (BaseResolution at +112, InpChansPresent at +128) | 160 |
/// | per input: channel settings (16 bytes each), then input rates (4 bytes each) | 20 × inputs |
/// | TTTR header (SyncRate, StopAfter, StopReason, ImgHdrSize, UInt64 nRecords) | 24 |
/// | image header | 4 × ImgHdrSize |
///
/// then 32-bit records: format 1.0 files hold HydraHarp v1 records (fixed overflow period), 2.0
/// files v2 records (overflow records carry a count). In T2 (MeasMode 2) times count in the base
/// resolution (1 ps on the HydraHarp); in T3 (MeasMode 3) the sync period is 1/SyncRate and the
/// dtime bin is `Resolution`.
public enum HydraHarpLegacyFile {
    static let textHeader = 328, binaryHeader = 208, hardwareHeader = 160, tttrHeader = 24

    /// Reads a whole file in memory (see ``TTTRStream`` for files of any size).
    public static func read(_ data: [UInt8]) throws(TTTRFileError) -> TTTRData {
        try TTTRStream(TTTRBytes(data), layout: layout(TTTRBytes(data))).readAll()
    }

    /// Where the file's records are, from its fixed header (at most 64 inputs: 2000 bytes).
    static func layout(_ file: TTTRBytes) throws(TTTRFileError) -> TTTRLayout {
        let fixed = textHeader + binaryHeader + hardwareHeader
        guard file.count >= fixed else { throw .truncated(offset: file.count, needed: fixed - file.count) }
        let data = try file.bytes(at: 0, length: fixed + 20 * 64 + tttrHeader)
        let ident = String(decoding: data[0..<16].prefix { $0 != 0 }, as: UTF8.self)
        guard ident == "HydraHarp" else { throw .wrongMagic(found: ident) }
        let version = String(decoding: data[16..<22].prefix { $0 != 0 }, as: UTF8.self)
        let v2: Bool
        if version.hasPrefix("1.0") { v2 = false } else if version.hasPrefix("2.0") { v2 = true } else {
            throw .malformedHeader(offset: 16, message: "format version \(version); 1.0 and 2.0 are read")
        }
        func int32(_ o: Int) -> Int32 { Int32(bitPattern: PTUFile.le32(data, o)) }
        func double(_ o: Int) -> Double { Double(bitPattern: PTUFile.le64(data, o)) }
        let bin = textHeader
        let measMode = int32(bin + 12)
        guard measMode == 2 || measMode == 3 else {
            throw .malformedHeader(offset: bin + 12, message: "measurement mode \(measMode), not T2 (2) or T3 (3)")
        }
        let resolutionPS = double(bin + 24)
        let hardware = bin + binaryHeader
        let baseResolutionPS = double(hardware + 112)
        let inputs = Int(int32(hardware + 128))
        guard (0...64).contains(inputs) else {
            throw .malformedHeader(offset: hardware + 128, message: "\(inputs) input channels")
        }
        let tttr = hardware + hardwareHeader + 20 * inputs
        guard file.count >= tttr + tttrHeader else { throw .truncated(offset: file.count, needed: tttr + tttrHeader - file.count) }
        let syncRate = int32(tttr), imageWords = Int(int32(tttr + 12))
        let records = PTUFile.le64(data, tttr + 16)
        guard measMode == 2 || syncRate > 0 else { throw .malformedHeader(offset: tttr, message: "sync rate \(syncRate)") }
        guard measMode == 2 || (resolutionPS > 0 && resolutionPS <= 1e12), baseResolutionPS >= 0, baseResolutionPS <= 1e12 else {
            throw .malformedHeader(offset: bin + 24, message: "resolution \(resolutionPS) ps")
        }
        guard imageWords >= 0, records < UInt64(Int.max / 8) else { throw .malformedHeader(offset: tttr + 12, message: "negative or huge sizes") }
        let start = tttr + tttrHeader + 4 * imageWords
        let end = start + 4 * Int(records)
        guard end <= file.count else { throw .truncated(offset: file.count, needed: end - file.count) }
        var header: [String: String] = ["Ident": ident, "FormatVersion": version, "MeasMode": "\(measMode)",
                                        "SyncRate": "\(syncRate)", "Resolution_ps": "\(resolutionPS)",
                                        "BaseResolution_ps": "\(baseResolutionPS)", "InpChansPresent": "\(inputs)",
                                        "Records": "\(records)"]
        header["HardwareIdent"] = String(decoding: data[hardware..<(hardware + 16)].prefix { $0 != 0 }, as: UTF8.self)
        let type: PTURecordType = switch (v2, measMode) {
        case (false, 2): .hydraHarpV1T2
        case (false, _): .hydraHarpV1T3
        case (true, 2): .hydraHarpV2T2
        case (true, _): .hydraHarpV2T3
        }
        let global = measMode == 2 ? (baseResolutionPS > 0 ? baseResolutionPS : 1) : 1e12 / Double(syncRate)
        return TTTRLayout(recordType: type, header: header, recordOffset: start, recordCount: Int(records), globalPS: global,
                          resolutionPS: resolutionPS)
    }
}
