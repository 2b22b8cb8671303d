import Foundation

/// Opens a time-tag file by what it starts with: PicoQuant PTU (`PQTTTR`), legacy PicoHarp `.pt2`/`.pt3`
/// or legacy HydraHarp `.ht2`/`.ht3`.
public enum TTTRFile {
    public static func read(_ data: [UInt8]) throws(TTTRFileError) -> TTTRData {
        if data.starts(with: PTUFile.magic.prefix(6)) { return try PTUFile.read(data) }
        if data.starts(with: Array("PicoHarp 300".utf8)) { return try PicoHarpLegacyFile.read(data) }
        if data.starts(with: Array("HydraHarp\0".utf8)) { return try HydraHarpLegacyFile.read(data) }
        throw .wrongMagic(found: String(decoding: data.prefix(8), as: UTF8.self))
    }

    public static func read(contentsOf url: URL) throws -> TTTRData { try read(Array(try Data(contentsOf: url))) }
}
