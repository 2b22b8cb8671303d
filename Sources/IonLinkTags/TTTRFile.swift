import Foundation

/// Opens a time-tag file by what it starts with: PicoQuant PTU (`PQTTTR`), legacy PicoHarp `.pt2`/`.pt3`
/// or legacy HydraHarp `.ht2`/`.ht3`.
public enum TTTRFile {
    /// Reads a whole file in memory (see ``TTTRStream`` for files of any size).
    public static func read(_ data: [UInt8]) throws(TTTRFileError) -> TTTRData {
        let bytes = TTTRBytes(data)
        return try TTTRStream(bytes, layout: layout(bytes)).readAll()
    }

    /// Reads a whole file in memory (see ``TTTRStream`` for files of any size).
    public static func read(contentsOf url: URL) throws(TTTRFileError) -> TTTRData { try TTTRStream(contentsOf: url).readAll() }

    /// The file's header: its record type and where its records are.
    public static func layout(_ file: TTTRBytes) throws(TTTRFileError) -> TTTRLayout {
        let start = try file.bytes(at: 0, length: 16)
        if start.starts(with: PTUFile.magic.prefix(6)) { return try PTUFile.layout(file) }
        if start.starts(with: Array("PicoHarp 300".utf8)) { return try PicoHarpLegacyFile.layout(file) }
        if start.starts(with: Array("HydraHarp\0".utf8)) { return try HydraHarpLegacyFile.layout(file) }
        throw .wrongMagic(found: String(decoding: start.prefix(8), as: UTF8.self))
    }
}
