import Foundation
import Testing
import IonLink
@testable import IonLinkTags

/// The streaming reader and the segmented replay give what one reader of the whole file gives.
@Suite struct TTTRStreamTests {
    /// A heralding-like stream: syncs every 1 µs, four inputs clicking with probability 0.3 anywhere in
    /// 0–200 ns, a long gap with no sync (so one segment may hold none), and times past many overflows.
    func stream(seed: UInt64, periods: Int) -> [TimeTag] {
        var rng = SeededGenerator(seed: seed)
        var tags: [TimeTag] = []
        var t: Int64 = 5_000_000
        for k in 0..<periods {
            t += k == periods / 3 ? 40_000_000_000 : 1_000_000
            if k != periods / 3 + 1 { tags.append(TimeTag(channel: 0, picoseconds: t)) }
            for ch in 1...4 where rng.nextUnit() < 0.3 {
                tags.append(TimeTag(channel: Int32(ch), picoseconds: t + Int64(rng.nextUnit() * 200_000)))
            }
        }
        return tags.sorted()
    }

    func engine(delays: [Int32: Int64] = [:]) -> HeraldEngine {
        let slots = (1...4).map { EngineSlot(channel: Int32($0), window: 100_000...150_000) }
        return HeraldEngine(syncChannel: 0, slots: slots,
                            patterns: [EnginePattern(name: "a", slots: [0, 3]), EnginePattern(name: "b", slots: [2, 1]),
                                       EnginePattern(name: "c", slots: [0, 1])], delays: delays)
    }

    @Test(arguments: [1, 7, 4096])
    func chunksOfAnySizeGiveTheSameTags(chunk: Int) throws {
        let tags = stream(seed: 4, periods: 3_000)
        let bytes = TTTRBytes(PTUFile.writeT2(tags))
        let s = TTTRStream(bytes, layout: try TTTRFile.layout(bytes), chunkRecords: chunk)
        var back: [TimeTag] = []
        while try s.next({ back += $0 }) {}
        #expect(back == tags)
        #expect(s.tags(onChannel: 0) == Int64(tags.filter { $0.channel == 0 }.count))
        #expect(s.first == tags.first && s.last == tags.last)
    }

    @Test(arguments: [2, 3, 5, 16])
    func segmentsGiveWhatOnePassGives(threads: Int) throws {
        let tags = stream(seed: UInt64(threads), periods: 20_000)
        let bytes = TTTRBytes(PTUFile.writeT2(tags))
        let layout = try TTTRFile.layout(bytes)
        for delays in [[:], [Int32(2): Int64(-30_000), 3: 40_000]] {
            let one = try TTTRReplay.run(bytes, layout: layout, engine: engine(delays: delays), threads: 1)
            let many = try TTTRReplay.run(bytes, layout: layout, engine: engine(delays: delays), threads: threads, minimumRecords: 2)
            // The heralds a reader of the whole array finds (an independent pass: all tags, one engine).
            var whole = engine(delays: delays)
            _ = whole.process(tags)
            _ = whole.flush()
            #expect(one.heralds == whole.heralds && one.coincidences == whole.coincidences)
            #expect(many.heralds == one.heralds, "threads \(threads), delays \(delays)")
            #expect(many.coincidences == one.coincidences)
            #expect(many.channelCounts == one.channelCounts && many.overflows == one.overflows && many.records == one.records)
            #expect(many.first == tags.first?.picoseconds && many.last == tags.last?.picoseconds)
            #expect(one.heralds.reduce(0, +) > 200)
        }
    }

    @Test func aSegmentsErrorIsReportedAsOnePassReportsIt() throws {
        var bytes = PTUFile.writeT2(stream(seed: 9, periods: 5_000))
        // A photon record whose time lies before the one written ahead of it, deep in the file.
        func record(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        // The record after a photon or sync (not an overflow) whose time is not 0.
        var at = bytes.count - 4 * 2_000
        while record(at - 4) >> 25 == 0x7F || record(at - 4) & 0x01FF_FFFF == 0 { at -= 4 }
        do {
            let earlier = (record(at - 4) & 0x01FF_FFFF) - 1
            for (i, b) in withUnsafeBytes(of: (UInt32(0) << 25 | earlier).littleEndian, Array.init).enumerated() { bytes[at + i] = b }
            let file = TTTRBytes(bytes)
            let layout = try TTTRFile.layout(file)
            var one: TTTRFileError?, many: TTTRFileError?
            do { _ = try TTTRReplay.run(file, layout: layout, engine: engine()) } catch { one = error }
            do { _ = try TTTRReplay.run(file, layout: layout, engine: engine(), threads: 3, minimumRecords: 2) } catch { many = error }
            #expect(one != nil && one == many)
            if case .nonMonotonicTime(let offset, _, _)? = one { #expect(offset == at) } else { Issue.record("\(String(describing: one))") }
        }
    }

    @Test func aStreamedFileIsWhatTheMemoryWriterWrites() throws {
        let tags = stream(seed: 5, periods: 2_000)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ionlink-stream-\(UUID().uuidString).ptu")
        defer { try? FileManager.default.removeItem(at: url) }
        let writer = try PTUWriter(url: url)
        for start in stride(from: 0, to: tags.count, by: 333) { try writer.write(tags[start..<min(tags.count, start + 333)]) }
        try writer.finish()
        #expect(Array(try Data(contentsOf: url)) == PTUFile.writeT2(tags))
        let backwards = [TimeTag(channel: 1, picoseconds: 5), TimeTag(channel: 1, picoseconds: 4)]
        #expect(throws: TTTRFileError.self) { try PTUWriter(url: url).write(backwards) }
        #expect(throws: TTTRFileError.self) { try TTTRBytes(contentsOf: url.appendingPathExtension("missing")) }
    }
}

/// The playback tagger streams a recording chunk by chunk: every tag comes back once, in time order, on the
/// lab's channels (the file's input n is the lab's channel n − 1 when the lab's sync is not 0).
@Suite struct PlaybackStreamTests {
    @Test(arguments: [Int32(0), 3])
    func everyTagPlaysOnceInOrder(sync: Int32) async throws {
        var rng = SeededGenerator(seed: 11)
        var tags: [TimeTag] = []
        for k in 0..<40_000 {
            let t = Int64(k) * 1_000_000
            tags.append(TimeTag(channel: 0, picoseconds: t))
            for ch in 1...4 where rng.nextUnit() < 0.3 { tags.append(TimeTag(channel: Int32(ch), picoseconds: t + Int64(rng.nextUnit() * 1e5))) }
        }
        tags.sort()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ionlink-playback-\(UUID().uuidString).ptu")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(PTUFile.writeT2(tags)).write(to: url)
        let tagger = try PlaybackTagger(name: "hub.tagger", file: url, syncChannel: sync, batchSize: 1_000)
        #expect(tagger.tagCount == Int64(tags.count))
        var played: [TimeTag] = []
        for await batch in try await tagger.startStreaming() { played += batch.tags }
        let lab = tags.map { TimeTag(channel: $0.channel == 0 ? sync : $0.channel - (sync == 0 ? 0 : 1), picoseconds: $0.picoseconds) }
        #expect(played == lab.sorted())
        #expect(tagger.channels == Array(Set(lab.map(\.channel))).sorted())
    }
}
