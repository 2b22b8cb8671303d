import Foundation
import Testing
import IonLink
@testable import IonLinkTags

/// Two tagger units sharing the sync, merged onto the first unit's time: checked against the tags an ideal
/// five-input tagger would have given, with the second unit's clock offset and drifting, its batches cut
/// at other places, and a sync lost on one unit.
@Suite struct SyncAlignedTaggerTests {
    /// Bursts of syncs every 750 ns (lab channel 4); a click 40 ns after some of them on channels 0…3.
    struct Truth {
        var tags: [TimeTag] = []   // on the first unit's clock
        init() {
            var t: Int64 = 5_000_000
            for burst in 0..<3 {
                for k in 0..<50 {
                    let sync = t + Int64(k) * 750_000
                    tags.append(TimeTag(channel: 4, picoseconds: sync))
                    if k % 7 == burst { tags.append(TimeTag(channel: Int32((k + burst) % 4), picoseconds: sync + 40_000)) }
                }
                t += 3_000_000_000
            }
        }
    }

    /// What unit `u` tags (its own channel numbers 0…2: its two detectors, then the sync on 2), on its clock:
    /// the second unit's clock is 1.234 ms ahead and runs 20 ppm fast.
    func unitTags(_ truth: Truth, unit u: Int) -> [TimeTag] {
        let mine: [Int32: Int32] = u == 0 ? [0: 0, 1: 1, 4: 2] : [2: 0, 3: 1, 4: 2]
        return truth.tags.compactMap { tag in
            guard let ch = mine[tag.channel] else { return nil }
            let t = u == 0 ? tag.picoseconds : 1_234_000_000 + tag.picoseconds + tag.picoseconds / 50_000
            return TimeTag(channel: ch, picoseconds: t)
        }
    }

    func merger() -> SyncMerger { SyncMerger(units: [[0: 0, 1: 1, 2: 4], [0: 2, 1: 3, 2: 4]], sync: 4, bin: 2_000) }

    /// Feeds each unit's tags in batches of `size` (an acquisition each), interleaved, then two empty
    /// acquisitions each; returns everything merged, or nil if the merger refused.
    func merge(_ tags: [[TimeTag]], sizes: [Int]) -> [TimeTag]? {
        var m = merger()
        var out: [TimeTag] = []
        var next = [0, 0]
        while next[0] < tags[0].count || next[1] < tags[1].count {
            for u in 0..<2 where next[u] < tags[u].count {
                let end = min(tags[u].count, next[u] + sizes[u])
                guard let merged = m.take(TagBatch(tags: Array(tags[u][next[u]..<end]), acquisitions: 1), from: u) else { return nil }
                out += merged.flatMap(\.tags)
                next[u] = end
            }
        }
        for _ in 0..<2 {
            for u in 0..<2 {
                guard let merged = m.take(TagBatch(tags: [], acquisitions: 1), from: u) else { return nil }
                out += merged.flatMap(\.tags)
            }
        }
        return out
    }

    @Test func theSecondUnitsClicksLandAfterTheirSyncOnTheFirstUnitsClock() throws {
        let truth = Truth()
        let merged = try #require(merge([unitTags(truth, unit: 0), unitTags(truth, unit: 1)], sizes: [17, 29]))
        #expect(merged.count == truth.tags.count)
        // Unit B's clicks are placed by their delay after their own sync: the drift over 40 ns is below a ps.
        for (m, t) in zip(merged, truth.tags) {
            #expect(m.channel == t.channel && abs(m.picoseconds - t.picoseconds) <= 1, "\(m) vs \(t)")
        }
    }

    /// A sync one unit missed shifts every later attempt: the merger refuses rather than mislabel them.
    @Test func aSyncLostOnOneUnitEndsTheMerge() {
        let truth = Truth()
        var b = unitTags(truth, unit: 1)
        b.remove(at: b.firstIndex { $0.channel == 2 && $0.picoseconds > 1_240_000_000 }!)
        #expect(merge([unitTags(truth, unit: 0), b], sizes: [40, 40]) == nil)
    }

    /// Acquisitions are passed on only when no sync waits on a unit, so time never runs ahead of a unit.
    @Test func acquisitionsWaitForEveryUnit() throws {
        var m = merger()
        let first = m.take(TagBatch(tags: [TimeTag(channel: 2, picoseconds: 1_000)], acquisitions: 1), from: 0)
        #expect(first == [], "unit B has not seen the sync yet")
        let idle = m.take(TagBatch(tags: [], acquisitions: 3), from: 0)
        #expect(idle == [])
        // Unit B's sync (on its own clock), in an acquisition of its own: open until two acquisitions pass.
        let b = m.take(TagBatch(tags: [TimeTag(channel: 2, picoseconds: 9_000)], acquisitions: 1), from: 1)
        #expect(b == [])
        let taken = m.take(TagBatch(tags: [], acquisitions: 2), from: 1)
        let merged = try #require(taken)
        // The attempt at unit A's time with the acquisitions both units finished (A 4, B 3), of which the
        // last two passed on every unit after its sync: those follow on their own, as quiet tagger time.
        #expect(merged.count == 2, "\(merged)")
        #expect(merged.first?.tags == [TimeTag(channel: 4, picoseconds: 1_000)] && merged.first?.acquisitions == 1, "\(merged)")
        #expect(merged.last?.tags == [] && merged.last?.acquisitions == 2, "\(merged)")
    }
}
