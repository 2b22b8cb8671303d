import Foundation
import IonLink
import IonLinkTags

/// What `ionlink replay` reports about one time-tag file: counts, rates, heralds per pattern,
/// coincidences and (optionally) a g² summary.
struct ReplaySummary {
    var file: String
    var data: TTTRData
    var syncs: Int64
    var clicks: [String: Int]
    var rates: [String: Double]
    var heralds: [String: Int64]
    var coincidences: Int64
    var seconds: Double
    var g2: [String: Double]
    var sync: Int32

    init(data: TTTRData, file: String, sync: Int32, slots: [EngineSlot], patterns: [EnginePattern], delays: [Int32: Int64],
         g2 pair: (Int32, Int32)?, bin: Int64, range: Int64) {
        self.file = file
        self.data = data
        self.sync = sync
        var engine = HeraldEngine(syncChannel: sync, slots: slots, patterns: patterns, delays: delays)
        _ = engine.process(data.tags)
        _ = engine.flush()
        syncs = engine.syncs
        coincidences = engine.coincidences
        heralds = [:]
        for (i, p) in patterns.enumerated() { heralds[p.name, default: 0] += engine.heralds[i] }
        clicks = [:]
        for t in data.tags where t.channel != sync { clicks["\(t.channel)", default: 0] += 1 }
        let span = (data.tags.last?.picoseconds ?? 0) - (data.tags.first?.picoseconds ?? 0)
        seconds = Double(span) * 1e-12
        let s = seconds
        rates = clicks.mapValues { s > 0 ? Double($0) / s : 0 }
        g2 = [:]
        if let (a, b) = pair {
            var corr = Correlator(channelA: a, channelB: b, binWidth: bin, range: range)
            corr.process(data.tags)
            let values = corr.g2
            if let zero = values.indices.first(where: { corr.tau(ofBin: $0) <= 0 && corr.tau(ofBin: $0) + corr.binWidth > 0 }) {
                g2["g2_at_zero"] = values[zero]
            }
            if let peak = corr.peakTau { g2["peak_tau_ps"] = Double(peak) }
            g2["pairs"] = Double(corr.counts.reduce(0, +))
        }
    }

    func json() throws -> String {
        var object: [String: Any] = ["file": file, "record_type": "\(data.recordType)", "records": data.records,
                                     "overflows": data.overflows, "markers": data.markers.count, "syncs": syncs,
                                     "clicks": clicks, "rates_hz": rates, "heralds": heralds,
                                     "coincidences": coincidences, "span_s": seconds]
        if !g2.isEmpty { object["g2"] = g2 }
        let out = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: out, as: UTF8.self)
    }

    func text() -> [String] {
        var lines = [
            "file        \(file) (\(data.recordType), \(data.records) records, \(data.overflows) overflows, \(data.markers.count) markers)",
            "span        \(seconds) s, \(syncs) syncs on channel \(sync)",
            "clicks      " + clicks.sorted { $0.key < $1.key }.map { "ch\($0.key) \($0.value)" }.joined(separator: ", "),
            "rates       " + rates.sorted { $0.key < $1.key }.map { "ch\($0.key) " + String(format: "%.4g/s", $0.value) }.joined(separator: ", "),
            "coincidence \(coincidences) sync periods with two or more slots clicked",
            "heralds     " + (heralds.isEmpty ? "(no --pattern given)"
                : heralds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")),
        ]
        if !g2.isEmpty { lines.append("g²          " + g2.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) }
        return lines
    }
}
