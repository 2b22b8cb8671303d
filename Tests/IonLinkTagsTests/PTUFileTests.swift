import Foundation
import Testing
import IonLink
@testable import IonLinkTags

@Suite struct PTUFileTests {
    /// A header for hand-built records of `type`.
    func file(_ type: PTURecordType, global: Double, resolution: Double, records: [UInt32], count: Int64? = nil) -> [UInt8] {
        var out = Array("PQTTTR\0\0".utf8) + Array("1.0.00\0\0".utf8)
        func tag(_ name: String, _ t: UInt32, _ v: UInt64) {
            var ident = Array(name.utf8)
            ident += [UInt8](repeating: 0, count: 32 - ident.count)
            out += ident + withUnsafeBytes(of: Int32(-1).littleEndian, Array.init) + withUnsafeBytes(of: t.littleEndian, Array.init)
                + withUnsafeBytes(of: v.littleEndian, Array.init)
        }
        tag("TTResultFormat_TTTRRecType", 0x1000_0008, UInt64(type.rawValue))
        tag("MeasDesc_GlobalResolution", 0x2000_0008, global.bitPattern)
        tag("MeasDesc_Resolution", 0x2000_0008, resolution.bitPattern)
        tag("TTResult_NumberOfRecords", 0x1000_0008, UInt64(bitPattern: count ?? Int64(records.count)))
        tag("Header_End", 0xFFFF_0008, 0)
        for r in records { out += withUnsafeBytes(of: r.littleEndian, Array.init) }
        return out
    }

    @Test func roundTripAcrossManyOverflows() throws {
        var rng = SeededGenerator(seed: 3)
        var tags: [TimeTag] = [TimeTag(channel: 0, picoseconds: 0), TimeTag(channel: 2, picoseconds: 33_554_431),
                               TimeTag(channel: 1, picoseconds: 33_554_432), TimeTag(channel: 3, picoseconds: 33_554_432 * 40_000_001 + 7)]
        var t: Int64 = 40_000_000 * 33_554_432
        for _ in 0..<20_000 {
            t += Int64(rng.nextUnit() * 1e8)
            tags.append(TimeTag(channel: Int32(rng.next() % 5), picoseconds: t))
        }
        tags.sort()
        let back = try PTUFile.read(PTUFile.writeT2(tags))
        #expect(back.recordType == .hydraHarpV2T2)
        #expect(back.tags == tags)
        #expect(back.header["File_Comment"] == "IonLink")
    }

    @Test func handBuiltRecordsAtOverflowBoundaries() throws {
        // PicoHarp T2 (4 ps; the counter wraps at 210 698 240): photon ch1 at the last tick, overflow,
        // photon ch2 at 5, marker 3.
        let ph2 = try PTUFile.read(file(.picoHarpT2, global: 4e-12, resolution: 4e-12,
                                        records: [0x1000_0000 | 210_698_239, 0xF000_0000, 0x2000_0005, 0xF000_0033]))
        #expect(ph2.tags == [TimeTag(channel: 1, picoseconds: 210_698_239 * 4), TimeTag(channel: 2, picoseconds: (210_698_240 + 5) * 4)])
        #expect(ph2.markers == [TimeTag(channel: 3, picoseconds: (210_698_240 + 0x33) * 4)] && ph2.overflows == 1)
        // PicoHarp T3 (sync 100 ns, 4 ps bins): photon ch1 nsync 65535 dtime 10, overflow, photon ch2 nsync 1 dtime 0.
        let ph3 = try PTUFile.read(file(.picoHarpT3, global: 1e-7, resolution: 4e-12,
                                        records: [0x100A_FFFF, 0xF000_0000, 0x2000_0001]))
        #expect(ph3.tags == [TimeTag(channel: 0, picoseconds: 65_535 * 100_000), TimeTag(channel: 1, picoseconds: 65_535 * 100_000 + 40),
                             TimeTag(channel: 0, picoseconds: 65_537 * 100_000), TimeTag(channel: 2, picoseconds: 65_537 * 100_000)])
        // HydraHarp v1 T2 (1 ps): each overflow adds 33 552 000; sync is special channel 0.
        let hh1 = try PTUFile.read(file(.hydraHarpV1T2, global: 1e-12, resolution: 1e-12,
                                        records: [0xFE00_0000, 0x8000_0010, 0x0200_0020]))
        #expect(hh1.tags == [TimeTag(channel: 0, picoseconds: 33_552_000 + 16), TimeTag(channel: 2, picoseconds: 33_552_000 + 32)])
        // HydraHarp v2 / MultiHarp T2: an overflow record carries its count (3), 0 counts as 1.
        for type in [PTURecordType.hydraHarpV2T2, .multiHarpT2, .timeHarp260PT2] {
            let hh2 = try PTUFile.read(file(type, global: 1e-12, resolution: 1e-12, records: [0xFE00_0003, 0xFE00_0000, 0x0000_0001]))
            #expect(hh2.tags == [TimeTag(channel: 1, picoseconds: 4 * 33_554_432 + 1)] && hh2.overflows == 2)
        }
        // HydraHarp v2 T3 (sync 10 ns, 1 ps bins): overflow ×2 (nsync 2), photon ch0 nsync 5 dtime 300, marker 2.
        let hh3 = try PTUFile.read(file(.hydraHarpV2T3, global: 1e-8, resolution: 1e-12,
                                        records: [0xFE00_0002, UInt32(300) << 10 | 5, 0x8400_0007]))
        #expect(hh3.tags == [TimeTag(channel: 0, picoseconds: 2_053 * 10_000), TimeTag(channel: 1, picoseconds: 2_053 * 10_000 + 300)])
        #expect(hh3.markers == [TimeTag(channel: 2, picoseconds: 2_055 * 10_000)])
        // HydraHarp v1 T3: overflow adds 1024 whatever nsync says.
        let hv1 = try PTUFile.read(file(.hydraHarpV1T3, global: 1e-8, resolution: 1e-12, records: [0xFE00_0002, 0x0000_0001]))
        #expect(hv1.tags.first == TimeTag(channel: 0, picoseconds: 1_025 * 10_000))
    }

    @Test func badInputNamesTheOffset() {
        let good = PTUFile.writeT2([TimeTag(channel: 1, picoseconds: 5), TimeTag(channel: 2, picoseconds: 9)])
        var wrong = good
        wrong[0] = UInt8(ascii: "X")
        #expect(throws: TTTRFileError.wrongMagic(found: "XQTTTR\0\0")) { try PTUFile.read(wrong) }
        #expect(throws: TTTRFileError.self) { try PTUFile.read(Array(good.prefix(100))) }
        let cut = Array(good.dropLast(2))
        #expect(throws: TTTRFileError.truncated(offset: cut.count - 2, needed: 2)) { try PTUFile.read(cut) }
        let backwards = file(.hydraHarpV2T2, global: 1e-12, resolution: 1e-12, records: [0x0000_0100, 0x0000_0010])
        #expect(throws: TTTRFileError.nonMonotonicTime(offset: backwards.count - 4, previous: 256, found: 16)) { try PTUFile.read(backwards) }
        var unknown = file(.hydraHarpV2T2, global: 1e-12, resolution: 1e-12, records: [1])
        unknown[16 + 40] = 0x99  // the record-type tag's value
        #expect(throws: TTTRFileError.self) { try PTUFile.read(unknown) }
    }

    /// Issue 16, item 8: a header whose record count disagrees with the file, and a time unit of 0 or NaN,
    /// are malformed headers that say what is wrong (they were read silently, or called a missing tag).
    @Test func headerValuesThatContradictTheFileAreRefused() {
        let records: [UInt32] = [0x0000_0001, 0x0200_0010, 0x0400_0020]
        for count: Int64 in [0, 1, 2, -1] {
            let f = file(.hydraHarpV2T2, global: 1e-12, resolution: 1e-12, records: records, count: count)
            #expect {
                try PTUFile.read(f)
            } throws: { e in
                guard case let .malformedHeader(_, message) = e as? TTTRFileError else { return false }
                return message.contains("TTResult_NumberOfRecords is \(count)")
            }
        }
        for global in [0.0, -1e-12, Double.nan] {
            #expect {
                try PTUFile.read(file(.hydraHarpV2T2, global: global, resolution: 1e-12, records: records))
            } throws: { e in
                guard case let .malformedHeader(_, message) = e as? TTTRFileError else { return false }
                return message.contains("MeasDesc_GlobalResolution is")
            }
        }
        #expect((try? PTUFile.read(file(.hydraHarpV2T2, global: 1e-12, resolution: 1e-12, records: records)))?.tags.count == 3)
    }
}

/// IonLink's PTU files read by tttrlib (PyPI), an independent reader: same times, channels and kinds.
@Suite struct PTUInteropTests {
    struct Events: Decodable { var macro_ps: [Int64]; var routing: [Int32]; var types: [Int32] }

    @Test func tttrlibReadsWhatIonLinkWrites() async throws {
        var rng = SeededGenerator(seed: 12)
        var tags: [TimeTag] = []
        var t: Int64 = 0
        for k in 0..<5_000 {
            t += Int64(rng.nextUnit() * 3e7)                       // crosses the 33.5 µs wrap often
            tags.append(TimeTag(channel: k % 50 == 0 ? 0 : Int32(1 + rng.next() % 4), picoseconds: t))
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ionlink-\(UUID().uuidString).ptu")
        try Data(PTUFile.writeT2(tags)).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let data = try await TTTRPeer.run("read_with_tttrlib.py", [url.path])
        let events = try JSONDecoder().decode(Events.self, from: data)
        #expect(events.macro_ps == tags.map(\.picoseconds))
        #expect(events.types == tags.map { $0.channel == 0 ? 1 : 0 })
        #expect(events.routing == tags.map { $0.channel == 0 ? 0 : $0.channel - 1 })
    }
}

/// Legacy PicoHarp `.pt2`/`.pt3` files, built byte by byte from the layout of PicoQuant's pt2demo.c/pt3demo.c.
@Suite struct PicoHarpLegacyFileTests {
    func pt3(records: [UInt32], syncRate: Int32 = 10_000_000, resolutionNS: Float = 0.004, ident: String = "PicoHarp 300",
             imageWords: Int32 = 2, mode: Int32 = 3) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 328 + 208 + 156 + 36)
        func put(_ bytes: [UInt8], at o: Int) { for (i, b) in bytes.enumerated() { out[o + i] = b } }
        func int(_ v: Int32, at o: Int) { put(withUnsafeBytes(of: v.littleEndian, Array.init), at: o) }
        put(Array(ident.utf8), at: 0)
        put(Array("2.0".utf8), at: 16)
        int(1, at: 328 + 12)                  // NumberOfBoards
        int(mode, at: 328 + 20)               // MeasMode: 2 T2, 3 T3
        put(Array("PicoHarp 300".utf8), at: 536)
        put(withUnsafeBytes(of: resolutionNS.bitPattern.littleEndian, Array.init), at: 536 + 48)
        let tttr = 536 + 156
        int(syncRate, at: tttr + 12)          // CntRate0
        int(Int32(records.count), at: tttr + 28)
        int(imageWords, at: tttr + 32)
        out += [UInt8](repeating: 0xEE, count: Int(imageWords) * 4)
        for r in records { out += withUnsafeBytes(of: r.littleEndian, Array.init) }
        return out
    }

    @Test func readsRecordsAcrossAnOverflow() throws {
        // Sync 100 ns, 4 ps bins: photon ch2 at nsync 65535 dtime 25; overflow; marker 1; photon ch1 nsync 3 dtime 0.
        let data = try PicoHarpLegacyFile.read(pt3(records: [0x2019_FFFF, 0xF000_0000, 0xF001_0002, 0x1000_0003]))
        #expect(data.tags == [TimeTag(channel: 0, picoseconds: 65_535 * 100_000), TimeTag(channel: 2, picoseconds: 65_535 * 100_000 + 100),
                              TimeTag(channel: 0, picoseconds: 65_539 * 100_000), TimeTag(channel: 1, picoseconds: 65_539 * 100_000)])
        #expect(data.markers == [TimeTag(channel: 1, picoseconds: 65_538 * 100_000)])
        #expect(data.overflows == 1 && data.header["HardwareIdent"] == "PicoHarp 300")
    }

    @Test func readsPT2Records() throws {
        // T2 in 4 ps: ch0 (sync input) at the last tick before the wrap, overflow, ch1 at 10.
        let data = try PicoHarpLegacyFile.read(pt3(records: [0x0000_0000 | 210_698_239, 0xF000_0000, 0x1000_000A], syncRate: 0, mode: 2))
        #expect(data.recordType == .picoHarpT2)
        #expect(data.tags == [TimeTag(channel: 0, picoseconds: 210_698_239 * 4), TimeTag(channel: 1, picoseconds: (210_698_240 + 10) * 4)])
    }

    @Test func badFiles() {
        #expect(throws: TTTRFileError.wrongMagic(found: "HydraHarp")) { try PicoHarpLegacyFile.read(pt3(records: [], ident: "HydraHarp")) }
        let full = pt3(records: [0x1000_0001, 0x1000_0002])
        #expect(throws: TTTRFileError.truncated(offset: full.count - 3, needed: 3)) { try PicoHarpLegacyFile.read(Array(full.dropLast(3))) }
        #expect(throws: TTTRFileError.self) { try PicoHarpLegacyFile.read(Array(full.prefix(500))) }
        #expect(throws: TTTRFileError.self) { try PicoHarpLegacyFile.read(pt3(records: [1], syncRate: 0)) }
    }
}
