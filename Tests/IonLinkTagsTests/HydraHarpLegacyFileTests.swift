import Foundation
import Testing
import IonLink
@testable import IonLinkTags

/// Legacy HydraHarp `.ht2`/`.ht3` files, built byte by byte from the struct layout in PicoQuant's
/// HydraHarp demo readers (`#pragma pack(8)`: text 328, binary 208, hardware 160, 20 per input, TTTR 24).
@Suite struct HydraHarpLegacyFileTests {
    func ht(records: [UInt32], version: String = "2.0", mode: Int32 = 3, syncRate: Int32 = 80_000_000, resolutionPS: Double = 4,
            baseResolutionPS: Double = 1, inputs: Int32 = 4, imageWords: Int32 = 3, recordCount: UInt64? = nil) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 328 + 208 + 160)
        func put(_ bytes: [UInt8], at o: Int) { for (i, b) in bytes.enumerated() { out[o + i] = b } }
        func int(_ v: Int32, at o: Int) { put(withUnsafeBytes(of: v.littleEndian, Array.init), at: o) }
        func double(_ v: Double, at o: Int) { put(withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init), at: o) }
        put(Array("HydraHarp".utf8), at: 0)
        put(Array(version.utf8), at: 16)
        put(Array("HydraHarp 400".utf8), at: 16 + 6)         // CreatorName
        int(32, at: 328 + 4)                                   // BitsPerRecord
        int(mode, at: 328 + 12)                                // MeasMode
        double(resolutionPS, at: 328 + 24)                     // Resolution (after six ints, 8-aligned)
        put(Array("HydraHarp 400".utf8), at: 536)              // HardwareIdent
        int(1, at: 536 + 28)                                   // nModulesPresent
        double(baseResolutionPS, at: 536 + 112)                // BaseResolution (after ModuleInfo[10])
        int(inputs, at: 536 + 128)                             // InpChansPresent
        for i in 0..<Int(inputs) { out += withUnsafeBytes(of: Int32(i).littleEndian, Array.init) + [UInt8](repeating: 0, count: 12) }
        for _ in 0..<Int(inputs) { out += withUnsafeBytes(of: Int32(12_345).littleEndian, Array.init) }   // InputRate
        out += withUnsafeBytes(of: syncRate.littleEndian, Array.init) + [UInt8](repeating: 0, count: 8)
        out += withUnsafeBytes(of: imageWords.littleEndian, Array.init)
        out += withUnsafeBytes(of: (recordCount ?? UInt64(records.count)).littleEndian, Array.init)
        out += [UInt8](repeating: 0xEE, count: Int(imageWords) * 4)
        for r in records { out += withUnsafeBytes(of: r.littleEndian, Array.init) }
        return out
    }

    func t3(special: Bool = false, channel: UInt32, dtime: UInt32, nsync: UInt32) -> UInt32 {
        (special ? 1 << 31 : 0) | channel << 25 | dtime << 10 | nsync
    }

    @Test func readsHT3Version2AcrossMultiOverflows() throws {
        // 80 MHz sync (12 500 ps), 4 ps bins. Photon input 0 at nsync 5; overflow ×2; photon input 3 at
        // nsync 1023 (the last before a wrap); marker 2; overflow with count 0 (one wrap); photon input 1 at nsync 0.
        let records = [t3(channel: 0, dtime: 100, nsync: 5), t3(special: true, channel: 0x3F, dtime: 0, nsync: 2),
                       t3(channel: 3, dtime: 32_767, nsync: 1023), t3(special: true, channel: 2, dtime: 0, nsync: 1023),
                       t3(special: true, channel: 0x3F, dtime: 0, nsync: 0), t3(channel: 1, dtime: 7, nsync: 0)]
        let data = try TTTRFile.read(ht(records: records))
        #expect(data.recordType == .hydraHarpV2T3)
        let s1: Int64 = 5 * 12_500, s2: Int64 = (2_048 + 1_023) * 12_500, s3: Int64 = 3_072 * 12_500
        #expect(data.tags == [TimeTag(channel: 0, picoseconds: s1), TimeTag(channel: 1, picoseconds: s1 + 400),
                              TimeTag(channel: 0, picoseconds: s2), TimeTag(channel: 4, picoseconds: s2 + 32_767 * 4),
                              TimeTag(channel: 0, picoseconds: s3), TimeTag(channel: 2, picoseconds: s3 + 28)])
        #expect(data.markers == [TimeTag(channel: 2, picoseconds: s2)])
        #expect(data.overflows == 2 && data.records == 6 && data.header["InpChansPresent"] == "4")
    }

    @Test func readsHT3Version1WithFixedOverflow() throws {
        // Format 1.0: every overflow record adds 1024 syncs, whatever its nsync field says.
        let records = [t3(special: true, channel: 0x3F, dtime: 0, nsync: 3), t3(channel: 0, dtime: 1, nsync: 2)]
        let data = try HydraHarpLegacyFile.read(ht(records: records, version: "1.0", inputs: 2, imageWords: 0))
        #expect(data.recordType == .hydraHarpV1T3)
        #expect(data.tags == [TimeTag(channel: 0, picoseconds: 1_026 * 12_500), TimeTag(channel: 1, picoseconds: 1_026 * 12_500 + 4)])
    }

    @Test func readsHT2BothVersions() throws {
        // v2: sync (special, channel 0) just before the wrap; overflow ×3; input 2 at 10 ps.
        let v2 = [UInt32(1) << 31 | 33_554_431, UInt32(1) << 31 | 0x3F << 25 | 3, UInt32(2) << 25 | 10]
        let a = try HydraHarpLegacyFile.read(ht(records: v2, mode: 2, syncRate: 0))
        #expect(a.recordType == .hydraHarpV2T2)
        #expect(a.tags == [TimeTag(channel: 0, picoseconds: 33_554_431), TimeTag(channel: 3, picoseconds: 3 * 33_554_432 + 10)])
        // v1: an overflow adds 33 552 000 ticks.
        let v1 = [UInt32(1) << 31 | 0x3F << 25, UInt32(0) << 25 | 5]
        let b = try HydraHarpLegacyFile.read(ht(records: v1, version: "1.0", mode: 2, syncRate: 0))
        #expect(b.tags == [TimeTag(channel: 1, picoseconds: 33_552_005)])
    }

    @Test func badFiles() {
        let good = ht(records: [t3(channel: 0, dtime: 1, nsync: 1), t3(channel: 1, dtime: 2, nsync: 2)])
        #expect(throws: TTTRFileError.malformedHeader(offset: 16, message: "format version 3.0; 1.0 and 2.0 are read")) {
            try HydraHarpLegacyFile.read(ht(records: [], version: "3.0"))
        }
        #expect(throws: TTTRFileError.malformedHeader(offset: 340, message: "measurement mode 1, not T2 (2) or T3 (3)")) {
            try HydraHarpLegacyFile.read(ht(records: [], mode: 1))
        }
        #expect(throws: TTTRFileError.truncated(offset: good.count - 2, needed: 2)) { try HydraHarpLegacyFile.read(Array(good.dropLast(2))) }
        let short = ht(records: [1], recordCount: 2)
        #expect(throws: TTTRFileError.truncated(offset: short.count, needed: 4)) { try HydraHarpLegacyFile.read(short) }
        #expect(throws: TTTRFileError.self) { try HydraHarpLegacyFile.read(Array(good.prefix(600))) }
        #expect(throws: TTTRFileError.self) { try HydraHarpLegacyFile.read(ht(records: [1], syncRate: 0)) }
        #expect(throws: TTTRFileError.self) { try HydraHarpLegacyFile.read(ht(records: [1], inputs: 1_000)) }
        // Photon times that go backwards inside one file are refused with the record's offset.
        let backwards = ht(records: [t3(channel: 0, dtime: 1, nsync: 9), t3(channel: 0, dtime: 1, nsync: 4)])
        #expect(throws: TTTRFileError.self) { try HydraHarpLegacyFile.read(backwards) }
    }
}

/// A PTU file written by a third-party writer (tttrlib from PyPI, HydraHarp v2 T3 records) read by IonLink.
@Suite struct PTUThirdPartyWriterTests {
    struct Written: Decodable { var sync_ps: Double; var bin_ps: Double; var nsync: [Int64]; var dtime: [Int64]; var routing: [Int32] }

    @Test func ionLinkReadsWhatTttrlibWrites() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ionlink-\(UUID().uuidString).ptu")
        defer { try? FileManager.default.removeItem(at: url) }
        let json = try await TTTRPeer.run("write_with_tttrlib.py", [url.path, "7", "20000"])
        let written = try JSONDecoder().decode(Written.self, from: json)
        var expected: [TimeTag] = []
        var last: Int64 = -1
        for i in written.nsync.indices {
            let sync = Int64((Double(written.nsync[i]) * written.sync_ps).rounded())
            if written.nsync[i] != last { expected.append(TimeTag(channel: 0, picoseconds: sync)); last = written.nsync[i] }
            expected.append(
                TimeTag(channel: written.routing[i] + 1, picoseconds: sync + Int64((Double(written.dtime[i]) * written.bin_ps).rounded())))
        }
        let data = try TTTRFile.read(contentsOf: url)
        #expect(data.recordType == .hydraHarpV2T3)
        #expect(data.header["File_Comment"] == "written by tttrlib")
        #expect(data.tags.count == expected.count)
        let firstDifference = zip(data.tags, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "first difference at tag \(firstDifference.map(String.init) ?? "—")")
        #expect(data.overflows > 0)
    }
}
