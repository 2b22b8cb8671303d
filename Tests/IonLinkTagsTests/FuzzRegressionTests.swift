import Foundation
import Testing
import IonLink
@testable import IonLinkTags

/// Inputs the fuzzers (`Fuzz/run.sh`) found crashing, kept as `Fuzz/corpus/FuzzTTTR/regression-*`, fed
/// to the readers the same way the fuzz target does: each must end in data or a typed error.
@Suite struct FuzzRegressionTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus/FuzzTTTR")

    @Test func everyRegressionInputIsATypedOutcome() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasPrefix("regression-") }
        #expect(!names.isEmpty)
        for name in names {
            let input = Array(try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
            guard let selector = input.first else { continue }
            let rest = Array(input.dropFirst())
            let outcome: Result<TTTRData, TTTRFileError>
            switch selector % 4 {
            case 0: outcome = Result { () throws(TTTRFileError) in try TTTRFile.read(rest) }
            case 1: outcome = Result { () throws(TTTRFileError) in try PTUFile.read(Array("PQTTTR\0\0".utf8) + rest) }
            case 2: outcome = Result { () throws(TTTRFileError) in try PicoHarpLegacyFile.read(Array("PicoHarp 300\0\0\0\0".utf8) + rest) }
            default: outcome = Result { () throws(TTTRFileError) in try HydraHarpLegacyFile.read(Array("HydraHarp\0\0\0\0\0\0\0".utf8) + rest) }
            }
            if case .failure(let e) = outcome { #expect(!e.description.isEmpty, "\(name)") }
        }
    }

    /// The first find: a PTU string tag whose length is near 2⁶⁴ overflowed `offset + length`.
    @Test func hugeTagLengthsAndRecordCountsAreErrors() throws {
        var file = PTUFile.writeT2([TimeTag(channel: 1, picoseconds: 5)])
        // The first tag after the 16-byte preamble is File_Comment, an AnsiString: its value is its length.
        for (i, b) in withUnsafeBytes(of: UInt64(0xFFFF_FFFF_FFFF_FFF0).littleEndian, Array.init).enumerated() { file[16 + 40 + i] = b }
        #expect(throws: TTTRFileError.malformedHeader(offset: 16, message: "tag File_Comment claims 18446744073709551600 bytes")) {
            try PTUFile.read(file)
        }
        for (i, b) in withUnsafeBytes(of: UInt64(Int64.max).littleEndian, Array.init).enumerated() { file[16 + 40 + i] = b }
        #expect(throws: TTTRFileError.self) { try PTUFile.read(file) }
    }
}
