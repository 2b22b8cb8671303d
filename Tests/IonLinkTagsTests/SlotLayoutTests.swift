import Testing
import IonLink
@testable import IonLinkTags

@Suite struct SlotLayoutTests {
    let pol = SlotLayout.polarization(channels: [0, 1, 2, 3], photonDelay: .nanoseconds(100), windowStart: .picoseconds(-500),
                                      windowLength: .nanoseconds(20))
    let tb = SlotLayout.timeBin(detectorC: 0, detectorD: 1, binSeparation: .nanoseconds(100), photonDelay: .nanoseconds(100),
                                windowStart: .picoseconds(-500), windowLength: .nanoseconds(20))
    let sync: Int64 = 1_000_000_000

    func tag(_ ch: Int32, _ ns: Int64) -> TimeTag { TimeTag(channel: ch, picoseconds: sync + ns * 1000) }

    @Test func polarizationPatterns() {
        #expect(pol.classify([tag(0, 101), tag(3, 105)], sync: sync) == HeraldPattern.all[0])   // c0·d1 → ψ⁻
        #expect(pol.classify([tag(0, 101), tag(1, 110)], sync: sync)?.state == .psiPlus)         // c0·c1 → ψ⁺
        #expect(pol.classify([tag(0, 101), tag(2, 110)], sync: sync) == nil)                     // c0·d0: same mode
        #expect(pol.classify([tag(0, 101), tag(3, 121)], sync: sync) == nil)                     // d1 after its window
        #expect(pol.classify([tag(0, 99), tag(3, 105)], sync: sync) == nil)                      // c0 before its window
        #expect(pol.classify([tag(0, 101), tag(3, 105), tag(1, 102)], sync: sync) == nil)        // three clicks
        #expect(pol.classify([tag(0, 101), tag(0, 103), tag(3, 105)], sync: sync) == HeraldPattern.all[0]) // one detector twice
    }

    @Test func timeBinPatterns() {
        // Early on c, late on d: ψ⁻. Early and late on the same detector: ψ⁺.
        #expect(tb.classify([tag(0, 101), tag(1, 201)], sync: sync)?.state == .psiMinus)
        #expect(tb.classify([tag(1, 101), tag(1, 201)], sync: sync)?.state == .psiPlus)
        #expect(tb.classify([tag(0, 101), tag(1, 101)], sync: sync) == nil)   // both early
        #expect(tb.classify([tag(0, 150), tag(1, 201)], sync: sync) == nil)   // between the bins
    }
}
