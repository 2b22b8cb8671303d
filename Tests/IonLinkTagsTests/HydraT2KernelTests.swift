import Foundation
import Testing
import IonLink
@testable import IonLinkTags

/// Replay's fused loop (HydraHarp T2 records straight into the herald engine) against the two steps it
/// replaces, decoding the records to tags and handing them to the engine, on the same file.
@Suite struct HydraT2KernelTests {
    /// Syncs every 1 µs with a missing one, four inputs clicking anywhere in 0–200 ns, periods across many
    /// overflows; every 97th input record is turned into a marker record (special, channel 1–15). With `unit`
    /// above 1 ps the header's global resolution says so (times then count in that unit).
    func file(seed: UInt64, unit: Int64 = 1) throws -> TTTRBytes {
        var rng = SeededGenerator(seed: seed)
        var tags: [TimeTag] = []
        var t: Int64 = 3_000_000
        for k in 0..<6_000 {
            t += k == 2_000 ? 90_000_000 : 1_000_000
            if k != 4_000 { tags.append(TimeTag(channel: 0, picoseconds: t)) }
            for ch in 1...4 where rng.nextUnit() < 0.35 {
                tags.append(TimeTag(channel: Int32(ch), picoseconds: t + Int64(rng.nextUnit() * 200_000)))
            }
        }
        var bytes = PTUFile.writeT2(tags.sorted())
        let layout = try TTTRFile.layout(TTTRBytes(bytes))
        var markers = 0
        for k in stride(from: 0, to: layout.recordCount, by: 97) {
            let at = layout.recordOffset + 4 * k
            let rec = bytes[at..<at + 4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
            guard rec >> 31 == 0 else { continue }
            let marker = 0x8000_0000 | UInt32(1 + k % 15) << 25 | rec & 0x01FF_FFFF
            for b in 0..<4 { bytes[at + b] = UInt8(truncatingIfNeeded: marker >> (8 * UInt32(b))) }
            markers += 1
        }
        #expect(markers > 50)
        if unit != 1 {
            // The tag's value follows its 32-byte name, index and type (PTU header layout).
            let name = Array("MeasDesc_GlobalResolution".utf8)
            let at = try #require((0..<layout.recordOffset).first { Array(bytes[$0..<$0 + name.count]) == name }) + 40
            let value = (Double(unit) * 1e-12).bitPattern
            for b in 0..<8 { bytes[at + b] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(b))) }
        }
        return TTTRBytes(bytes)
    }

    /// Slots on all four inputs, a second slot on input 1 (time bins), delays, and a sync on 0 or on input 2;
    /// windows and delays in units of `unit` ps, as the file's times.
    func engines(unit k: Int64 = 1) -> [HeraldEngine] {
        let slots = (1...4).map { EngineSlot(channel: Int32($0), window: 90_000 * k...140_000 * k) }
            + [EngineSlot(channel: 1, window: 150_000 * k...190_000 * k)]
        let patterns = [EnginePattern(name: "a", slots: [0, 3]), EnginePattern(name: "b", slots: [2, 1]),
                        EnginePattern(name: "early-late", slots: [0, 4]), EnginePattern(name: "c", slots: [4, 2])]
        return [HeraldEngine(syncChannel: 0, slots: slots, patterns: patterns, delays: [2: -20_000 * k, 3: 15_000 * k]),
                HeraldEngine(syncChannel: 2, slots: Array(slots.filter { $0.channel != 2 }), patterns: [EnginePattern(name: "x", slots: [0, 2])])]
    }

    @Test(arguments: zip([1, 100, 32_768, 4_096], [Int64(1), 1, 1, 5]))
    func theFusedLoopDecidesWhatDecodingThenTheEngineDecides(chunk: Int, unit: Int64) throws {
        let bytes = try file(seed: UInt64(chunk), unit: unit)
        let layout = try TTTRFile.layout(bytes)
        #expect(layout.decoder().wholeGlobalPS == unit)
        for prototype in engines(unit: unit) {
            let fused = TTTRStream(bytes, layout: layout, chunkRecords: chunk), twoSteps = TTTRStream(bytes, layout: layout, chunkRecords: chunk)
            var a = prototype, b = prototype
            var fromA: [EngineHerald] = [], fromB: [EngineHerald] = []
            while try fused.next(into: &a, heralds: &fromA) {}
            while try twoSteps.next({ b.process($0, into: &fromB) }) {}
            fromA += a.flush()
            fromB += b.flush()
            #expect(fromA == fromB)
            #expect(a.heralds == b.heralds && a.coincidences == b.coincidences)
            #expect(a.syncs == b.syncs && a.clicks == b.clicks)
            #expect(fused.channelCounts == twoSteps.channelCounts)
            #expect(fused.markerCount == twoSteps.markerCount && fused.overflows == twoSteps.overflows)
            #expect(fused.first == twoSteps.first && fused.last == twoSteps.last)
            #expect(fromA.count > (prototype.syncChannel == 0 ? 50 : 2), "the file heralds")
        }
    }

    @Test func timeRunningBackwardsIsRefusedAtTheSameRecord() throws {
        let tags = (0..<5_000).map { TimeTag(channel: Int32($0 % 3), picoseconds: 7 + Int64($0) * 400_000) }
        var bytes = PTUFile.writeT2(tags)
        let layout = try TTTRFile.layout(TTTRBytes(bytes))
        func record(_ k: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[layout.recordOffset + 4 * k + $1]) << (8 * UInt32($1)) }
        }
        // An input record after another in the same overflow period, its time tag set to 0: time runs backwards.
        let k = try #require((4_000..<layout.recordCount).first { record($0) >> 31 == 0 && record($0 - 1) >> 25 != 0x7F })
        for b in 0..<4 { bytes[layout.recordOffset + 4 * k + b] = UInt8(truncatingIfNeeded: (record(k) & 0xFE00_0000) >> (8 * UInt32(b))) }
        var engine = engines()[0], found: [EngineHerald] = []
        var fusedError: TTTRFileError?, twoStepError: TTTRFileError?
        do {
            let s = TTTRStream(TTTRBytes(bytes), layout: layout, chunkRecords: 1_000)
            while try s.next(into: &engine, heralds: &found) {}
        } catch { fusedError = error }
        do {
            let s = TTTRStream(TTTRBytes(bytes), layout: layout, chunkRecords: 1_000)
            while try s.next({ _ in }) {}
        } catch { twoStepError = error }
        #expect(fusedError != nil && fusedError == twoStepError)
        if case let .nonMonotonicTime(offset, _, _) = fusedError { #expect(offset == layout.recordOffset + 4 * k) }
    }
}
