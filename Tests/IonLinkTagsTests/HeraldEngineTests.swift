import Foundation
import Testing
import IonLink
@testable import IonLinkTags

@Suite struct HeraldEngineTests {
    /// Four slots like the polarisation hub: channels 1–4 in a 20 ns window 100 ns after the sync (ch 0).
    let slots = (1...4).map { EngineSlot(channel: Int32($0), window: 100_000...120_000) }
    let patterns = [EnginePattern(name: "psi-[c0·d1]", slots: [0, 3]), EnginePattern(name: "psi-[d0·c1]", slots: [2, 1]),
                    EnginePattern(name: "psi+[c0·c1]", slots: [0, 1]), EnginePattern(name: "psi+[d0·d1]", slots: [2, 3])]

    /// A random stream: syncs every 1 µs; in each period each channel clicks with probability p at a
    /// time anywhere in 0…200 ns after the sync (inside or outside the window).
    func stream(periods: Int, p: Double, seed: UInt64) -> [TimeTag] {
        var rng = SeededGenerator(seed: seed)
        var tags: [TimeTag] = []
        for k in 0..<periods {
            let sync = Int64(k) * 1_000_000 + 5_000
            tags.append(TimeTag(channel: 0, picoseconds: sync))
            for ch in 1...4 where rng.nextUnit() < p {
                tags.append(TimeTag(channel: Int32(ch), picoseconds: sync + Int64(rng.nextUnit() * 200_000)))
            }
        }
        return tags.sorted()
    }

    /// Feeds tags in batches of changing size (the next size from the last), then flushes.
    func feedInUnevenBatches(_ tags: [TimeTag], to engine: inout HeraldEngine, nextSize: (Int) -> Int) -> [EngineHerald] {
        var found: [EngineHerald] = []
        var i = 0, size = 1
        while i < tags.count {
            let j = min(tags.count, i + size)
            found += engine.process(Array(tags[i..<j]))
            i = j
            size = nextSize(size)
        }
        return found + engine.flush()
    }

    /// The reference: group tags by period and compare each period's set of in-window slots.
    func bruteForce(_ tags: [TimeTag], delays: [Int32: Int64] = [:]) -> [(Int64, Int)] {
        bruteForce(tags, slots: slots, patterns: patterns, delays: delays)
    }

    func bruteForce(_ tags: [TimeTag], slots: [EngineSlot], patterns: [EnginePattern], delays: [Int32: Int64]) -> [(Int64, Int)] {
        var out: [(Int64, Int)] = []
        let syncs = tags.filter { $0.channel == 0 }.map(\.picoseconds)
        for (i, s) in syncs.enumerated() {
            let next = i + 1 < syncs.count ? syncs[i + 1] : .max
            var hit = Set<Int>()
            for t in tags where t.channel != 0 && t.picoseconds >= s && t.picoseconds < next {
                let rel = t.picoseconds + (delays[t.channel] ?? 0) - s
                for (k, slot) in slots.enumerated() where slot.channel == t.channel && slot.window.contains(rel) { hit.insert(k) }
            }
            if let p = patterns.firstIndex(where: { Set($0.slots) == hit }) { out.append((s, p)) }
        }
        return out
    }

    /// The reference's count of sync periods with two or more slots clicked.
    func bruteForceCoincidences(_ tags: [TimeTag]) -> Int64 {
        let syncs = tags.filter { $0.channel == 0 }.map(\.picoseconds)
        var count: Int64 = 0
        for (i, s) in syncs.enumerated() {
            let next = i + 1 < syncs.count ? syncs[i + 1] : .max
            let hit = Set(tags.filter { $0.channel != 0 && $0.picoseconds >= s && $0.picoseconds < next }.flatMap { t in
                slots.indices.filter { slots[$0].channel == t.channel && slots[$0].window.contains(t.picoseconds - s) }
            })
            if hit.count >= 2 { count += 1 }
        }
        return count
    }

    @Test(arguments: [(0.05, UInt64(1)), (0.3, 2), (0.7, 3)])
    func matchesBruteForceOnRandomStreams(p: Double, seed: UInt64) {
        let tags = stream(periods: 3_000, p: p, seed: seed)
        var engine = HeraldEngine(syncChannel: 0, slots: slots, patterns: patterns)
        let found = feedInUnevenBatches(tags, to: &engine) { $0 * 3 % 97 + 1 }
        let reference = bruteForce(tags)
        #expect(found.count == reference.count)
        #expect(zip(found, reference).allSatisfy { $0.syncPicoseconds == $1.0 && $0.pattern == $1.1 })
        #expect(engine.syncs == 3_000)
        #expect(engine.heralds.reduce(0, +) == Int64(reference.count))
        #expect(engine.clicks[1] == Int64(tags.filter { $0.channel == 1 }.count))
        #expect(engine.coincidences == bruteForceCoincidences(tags))
    }

    /// Time-bin slots (two per channel), unequal delays (one negative), stray tags on channels the
    /// engine does not know (7, 40, −5), fed in uneven batches: the same heralds as a brute-force
    /// pass over whole periods, and the live decision never decides a period that a later tag
    /// could still change.
    @Test(arguments: [UInt64(11), 12, 13])
    func timeBinSlotsWithUnequalDelaysMatchBruteForce(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let bins = [EngineSlot(channel: 1, window: 20_000...30_000), EngineSlot(channel: 1, window: 60_000...70_000),
                    EngineSlot(channel: 2, window: 20_000...30_000), EngineSlot(channel: 2, window: 60_000...70_000)]
        let pats = [EnginePattern(name: "early-late", slots: [0, 3]), EnginePattern(name: "late-early", slots: [1, 2]),
                    EnginePattern(name: "early-early", slots: [0, 2])]
        let delays: [Int32: Int64] = [1: -15_000, 2: 25_000]
        var tags: [TimeTag] = []
        for k in 0..<4_000 {
            let sync = Int64(k) * 200_000
            tags.append(TimeTag(channel: 0, picoseconds: sync))
            // Most clicks near a window's raw position (window minus delay: ch 1 at 35–45 and 75–85 ns,
            // ch 2 at 0–5 and 35–45 ns), ±7 ns so that edges are crossed; the rest anywhere. Up to two
            // clicks per channel, so that a late click of one channel can precede an in-window click
            // of another.
            let near: [Int32: [Double]] = [1: [40_000, 80_000], 2: [2_500, 40_000]]
            for ch: Int32 in [1, 2, 7, 40, -5, 1, 2] where rng.nextUnit() < 0.5 {
                let centres = near[ch] ?? []
                let t = !centres.isEmpty && rng.nextUnit() < 0.8
                    ? centres[Int(rng.nextUnit() * Double(centres.count))] + (rng.nextUnit() - 0.5) * 14_000
                    : rng.nextUnit() * 199_000
                tags.append(TimeTag(channel: ch, picoseconds: sync + Int64(max(0, t))))
            }
        }
        tags.sort()
        let reference = bruteForce(tags, slots: bins, patterns: pats, delays: delays)
        let syncs = tags.filter { $0.channel == 0 }.map(\.picoseconds)
        var engine = HeraldEngine(syncChannel: 0, slots: bins, patterns: pats, delays: delays)
        let found = feedInUnevenBatches(tags, to: &engine) { $0 * 5 % 13 + 1 }
        #expect(reference.count > 150)
        let expected = reference.map { r in
            EngineHerald(syncPicoseconds: r.0, syncIndex: Int64(syncs.firstIndex(of: r.0)!), pattern: r.1)
        }
        let firstDifference = zip(found, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(found.count == reference.count && firstDifference == nil,
                "first difference at herald \(firstDifference.map(String.init) ?? "—"), \(found.count) vs \(reference.count)")
        #expect(engine.syncs == 4_000)
        #expect(engine.clicks.count == 3 && engine.clicks[0] == 0)
        #expect(engine.clicks[2] == Int64(tags.filter { $0.channel == 2 }.count))
    }

    /// The sync channel −1 (attempts checked one at a time, as the sequencer does) works like any other.
    @Test func syncChannelMinusOne() {
        let engine = HeraldEngine(syncChannel: -1, slots: slots, patterns: patterns)
        #expect(engine.pattern(ofAttempt: [TimeTag(channel: 1, picoseconds: 110_000), TimeTag(channel: 4, picoseconds: 119_000)],
                               sync: 0) == 0)
        #expect(engine.pattern(ofAttempt: [TimeTag(channel: 1, picoseconds: 110_000), TimeTag(channel: 4, picoseconds: 121_000)],
                               sync: 0) == nil)
        #expect(engine.pattern(ofAttempt: [TimeTag(channel: 2, picoseconds: 100_000), TimeTag(channel: 3, picoseconds: 120_000)],
                               sync: 0) == 1)
    }

    @Test func delaysShiftChannelsIntoTheirWindows() {
        var rng = SeededGenerator(seed: 9)
        var tags: [TimeTag] = []
        for k in 0..<500 {
            let sync = Int64(k) * 1_000_000
            tags.append(TimeTag(channel: 0, picoseconds: sync))
            // Channel 4's cable is 30 ns longer.
            tags.append(TimeTag(channel: 1, picoseconds: sync + 110_000 + Int64(rng.nextUnit() * 500)))
            tags.append(TimeTag(channel: 4, picoseconds: sync + 140_000 + Int64(rng.nextUnit() * 500)))
        }
        tags.sort()
        var plain = HeraldEngine(syncChannel: 0, slots: slots, patterns: patterns)
        _ = plain.process(tags)
        #expect(plain.heralds[0] + Int64(plain.flush().count) == 0)
        let delays = calibrateDelays(tags, syncChannel: 0, channels: [1, 4], range: 500_000, binWidth: 1_000, target: 110_000)
        #expect(abs((delays[4] ?? 0) - (delays[1] ?? 0) + 30_000) <= 2_000, "channel 4 is 30 ns late: \(delays)")
        var aligned = HeraldEngine(syncChannel: 0, slots: slots, patterns: patterns, delays: delays)
        let found = aligned.process(tags) + aligned.flush()
        #expect(found.count == 500 && found.allSatisfy { $0.pattern == 0 })
        #expect(found.count == bruteForce(tags, delays: delays).count)
    }

    @Test func correlatorSeesCoincidencesAndFlatBackground() {
        // Channel 1 and 2 Poisson at 1e5/s each, plus coincidences (2 lagging 1 by 3 ns) at 2e4/s.
        var rng = SeededGenerator(seed: 4)
        var tags: [TimeTag] = []
        var t = 0.0
        while t < 2 {
            t += -log(rng.nextOpenUnit()) / 2.2e5
            let ps = Int64(t * 1e12)
            let u = rng.nextUnit() * 2.2e5
            if u < 1e5 { tags.append(TimeTag(channel: 1, picoseconds: ps)) }
            else if u < 2e5 { tags.append(TimeTag(channel: 2, picoseconds: ps)) }
            else { tags += [TimeTag(channel: 1, picoseconds: ps), TimeTag(channel: 2, picoseconds: ps + 3_000)] }
        }
        tags.sort()
        var corr = Correlator(channelA: 1, channelB: 2, binWidth: 1_000, range: 100_000)
        corr.process(tags)
        #expect(corr.peakTau == 3_500)
        let g2 = corr.g2
        let flat = g2.enumerated().filter { abs(corr.tau(ofBin: $0.offset) - 3_000) > 20_000 }.map(\.element)
        let mean = flat.reduce(0, +) / Double(flat.count)
        // About 29 accidental counts per bin over ~160 bins: the mean is 1 within ±1.5 % (1σ).
        #expect(abs(mean - 1) < 0.06, "uncorrelated background g² ≈ 1, got \(mean)")
        #expect(g2[Int((3_000 + 100_000) / 1_000)] > 10, "coincidence peak")
        // Brute force: every (a, b) pair within the range.
        let a = tags.filter { $0.channel == 1 }.map(\.picoseconds), b = tags.filter { $0.channel == 2 }.map(\.picoseconds)
        var reference = [Int64](repeating: 0, count: corr.counts.count)
        var lo = 0
        for tb in b {
            while lo < a.count && a[lo] < tb - 100_000 { lo += 1 }
            var k = lo
            while k < a.count && a[k] <= tb + 100_000 {
                let tau = tb - a[k]
                if tau >= -100_000 && tau < 100_000 { reference[Int((tau + 100_000) / 1_000)] += 1 }
                k += 1
            }
        }
        #expect(corr.counts == reference)
    }
}
