import Foundation
import IonLink
import IonLinkTags

/// What `ionlink replay` reports about one time-tag file: counts, rates, heralds per pattern,
/// coincidences and (optionally) a g² summary.
struct ReplaySummary {
    var file: String
    var totals: ReplayTotals
    var syncs: Int64
    var clicks: [String: Int64]
    var rates: [String: Double]
    var heralds: [String: Int64]
    var seconds: Double
    var g2: [String: Double]
    var sync: Int32

    init(totals: ReplayTotals, file: String, sync: Int32, patterns: [EnginePattern]) {
        self.file = file
        self.totals = totals
        self.sync = sync
        syncs = totals.channelCounts[sync] ?? 0
        heralds = [:]
        for (i, p) in patterns.enumerated() { heralds[p.name, default: 0] += totals.heralds[i] }
        clicks = [:]
        for (channel, n) in totals.channelCounts where channel != sync { clicks["\(channel)"] = n }
        seconds = Double((totals.last ?? 0) - (totals.first ?? 0)) * 1e-12
        let s = seconds
        rates = clicks.mapValues { s > 0 ? Double($0) / s : 0 }
        g2 = [:]
        if let corr = totals.correlator {
            let values = corr.g2
            if let zero = values.indices.first(where: { corr.tau(ofBin: $0) <= 0 && corr.tau(ofBin: $0) + corr.binWidth > 0 }) {
                g2["g2_at_zero"] = values[zero]
            }
            if let peak = corr.peakTau { g2["peak_tau_ps"] = Double(peak) }
            g2["pairs"] = Double(corr.counts.reduce(0, +))
        }
    }

    func json() throws -> String {
        var object: [String: Any] = ["file": file, "record_type": "\(totals.recordType)", "records": totals.records,
                                     "overflows": totals.overflows, "markers": totals.markers, "syncs": syncs,
                                     "clicks": clicks, "rates_hz": rates, "heralds": heralds,
                                     "coincidences": totals.coincidences, "span_s": seconds]
        if !g2.isEmpty { object["g2"] = g2 }
        let out = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: out, as: UTF8.self)
    }

    func text() -> [String] {
        var lines = [
            "file        \(file) (\(totals.recordType), \(totals.records) records, \(totals.overflows) overflows, \(totals.markers) markers)",
            "span        \(seconds) s, \(syncs) syncs on channel \(sync)",
            "clicks      " + clicks.sorted { $0.key < $1.key }.map { "ch\($0.key) \($0.value)" }.joined(separator: ", "),
            "rates       " + rates.sorted { $0.key < $1.key }.map { "ch\($0.key) " + String(format: "%.4g/s", $0.value) }.joined(separator: ", "),
            "coincidence \(totals.coincidences) sync periods with two or more slots clicked",
            "heralds     " + (heralds.isEmpty ? "(no --pattern given)"
                : heralds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")),
        ]
        if !g2.isEmpty { lines.append("g²          " + g2.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) }
        return lines
    }
}
