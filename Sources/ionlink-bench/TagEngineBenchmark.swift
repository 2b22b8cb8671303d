import Foundation
import Histogram
import IonLink
import IonLinkTags

/// The herald engine on a generated stream of ≥10⁸ tags (syncs every 1 µs, four detectors clicking
/// anywhere in 0–200 ns after the sync with probability 0.3 each), against a vectorised numpy
/// implementation of the same decision in the same run; then the decision latency per attempt with
/// an HDR histogram.
func runTagEngineBenchmark() async throws {
    let periods = 46_000_000
    var rng = SeededGenerator(seed: 77)
    var tags: [TimeTag] = []
    tags.reserveCapacity(periods * 5 / 2)
    for k in 0..<periods {
        let sync = Int64(k) * 1_000_000
        tags.append(TimeTag(channel: 0, picoseconds: sync))
        var clicks: [TimeTag] = []
        for ch in 1...4 where rng.nextUnit() < 0.3 {
            clicks.append(TimeTag(channel: Int32(ch), picoseconds: sync + Int64(rng.nextUnit() * 200_000)))
        }
        clicks.sort()
        tags += clicks
    }
    let slots = (1...4).map { EngineSlot(channel: Int32($0), window: 100_000...120_000) }
    let patterns = [EnginePattern(name: "psi-", slots: [0, 3]), EnginePattern(name: "psi-", slots: [2, 1]),
                    EnginePattern(name: "psi+", slots: [0, 1]), EnginePattern(name: "psi+", slots: [2, 3])]
    // Five passes, each with a fresh engine: this machine is shared, so quote the best and the median.
    var engine = HeraldEngine(syncChannel: 0, slots: slots, patterns: patterns)
    var passes: [Double] = []
    for _ in 0..<5 {
        engine = HeraldEngine(syncChannel: 0, slots: slots, patterns: patterns)
        var heralds: [EngineHerald] = []
        heralds.reserveCapacity(1 << 20)
        let start = ContinuousClock.now
        tags.withUnsafeBufferPointer { engine.process($0, into: &heralds) }
        _ = engine.flush()
        passes.append(Double(tags.count) / (ContinuousClock.now - start).inSeconds)
    }
    passes.sort()
    let ours = passes[passes.count / 2]
    print(String(format: "tags: herald engine passes %@ tags/s (best %.3e, median %.3e)",
                 passes.map { String(format: "%.2e", $0) }.joined(separator: " "), passes.last!, ours))

    // The numpy peer reads the same stream from disk (not timed) and decides the same heralds.
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ionlink-bench-tags.bin")
    var raw = Data(capacity: tags.count * 9)
    tags.withUnsafeBufferPointer { buf in
        var times = buf.map(\.picoseconds)
        var chans = buf.map { UInt8($0.channel) }
        raw.append(Data(bytes: &times, count: times.count * 8))
        raw.append(Data(bytes: &chans, count: chans.count))
    }
    try raw.write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let peer = try pythonTimedLoop(script: """
        import sys, time, numpy as np
        n = int(sys.argv[2])
        raw = np.fromfile(sys.argv[1], dtype=np.uint8)
        t = raw[:8 * n].view(np.int64); ch = raw[8 * n:]
        start = time.perf_counter()
        is_sync = ch == 0
        \(numpyHeraldDecision)
        elapsed = time.perf_counter() - start
        assert heralds == int(sys.argv[3]), (heralds, sys.argv[3])
        print(elapsed)
        """, arguments: [url.path, "\(tags.count)", "\(engine.heralds.reduce(0, +))"], environment: [:], install: "numpy")
    let numpy = Double(tags.count) / peer
    print(String(format: "tags: herald engine %.3e tags/s   numpy (vectorised) %.3e tags/s   ratio %.1f×   (%d tags, %lld heralds)",
                 ours, numpy, ours / numpy, tags.count, engine.heralds.reduce(0, +)))


    // Decision latency: one attempt's tags arrive (sync, clicks, then the tag that closes the window);
    // time from handing over the closing tag to the decision.
    var latency = Histogram<UInt64>(highestTrackableValue: 10_000_000, numberOfSignificantValueDigits: .three)
    var live = HeraldEngine(syncChannel: 0, slots: slots, patterns: patterns)
    var out: [EngineHerald] = []
    out.reserveCapacity(16)
    let clock = ContinuousClock()
    for k in 0..<1_000_000 {
        let sync = Int64(k) * 1_000_000
        let head = [TimeTag(channel: 0, picoseconds: sync), TimeTag(channel: 1, picoseconds: sync + 105_000),
                    TimeTag(channel: 4, picoseconds: sync + 110_000)]
        head.withUnsafeBufferPointer { live.process($0, into: &out) }
        let closing = [TimeTag(channel: 2, picoseconds: sync + 150_000)]
        out.removeAll(keepingCapacity: true)
        let t0 = clock.now
        closing.withUnsafeBufferPointer { live.process($0, into: &out) }
        let dt = clock.now - t0
        precondition(out.count == 1)
        _ = latency.record(UInt64(max(0, dt.inPicoseconds / 1_000)))
    }
    print("tags: herald decision latency p50 \(latency.valueAtPercentile(50)) ns, p99 \(latency.valueAtPercentile(99)) ns, "
          + "p99.9 \(latency.valueAtPercentile(99.9)) ns (1e6 attempts; clock read included)")
}

/// The numpy peer's herald decision, shared by the tags and replay benchmarks: from `t` (ps), `is_sync` and
/// `ch` (inputs from 1), `heralds` of the four two-detector patterns in the 100–120 ns window.
let numpyHeraldDecision = """
    sync_t = t[is_sync]
    idx = np.cumsum(is_sync) - 1                       # sync period of every tag
    rel = t - sync_t[np.maximum(idx, 0)]
    inwin = (~is_sync) & (idx >= 0) & (rel >= 100000) & (rel <= 120000)
    bits = np.where(inwin, np.left_shift(1, ch.astype(np.int64) - 1), 0)
    mask = np.zeros(len(sync_t), dtype=np.int64)
    np.bitwise_or.at(mask, idx[inwin], bits[inwin])
    heralds = sum(int(np.count_nonzero(mask == m)) for m in (0b1001, 0b0110, 0b0011, 0b1100))
    """
