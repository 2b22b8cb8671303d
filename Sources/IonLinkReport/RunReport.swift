import Foundation
import IonLink
import IonLinkRecords
import IonLinkSequencer
import IonLinkTags

/// One self-contained HTML page about a run record: a table of the record, the finished run's summary
/// (the text `ionlink run` printed, from the record's summary JSON), and SVG plots of the herald rate
/// over time, the measured success probability against the analytic and model values, the verification
/// correlators and fidelity with 95 % error bars, click-time histograms per detector channel, and g²(τ).
public enum RunReport {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    public static func html(_ record: RunRecord) -> String {
        let plots = [heraldRate(record), successProbability(record), fidelity(record), clickTimes(record), g2(record)].compactMap { $0 }
        let title = "IonLink run \(record.metadata.lab), seed \(record.metadata.seed)"
        var body = summaryTable(record)
        // A finished run's own summary, as `ionlink run` printed it.
        if let json = record.summaryJSON, let summary = try? RunSummary(json: json) {
            body += "<pre class=\"summary\">\(SVGPlot.escape(summary.text()))</pre>\n"
        }
        for p in plots { body += "<figure>\(p.svg())</figure>\n" }
        return HTMLPage.document(title: title, body: body, script: """
            // Counts the plot paths that rendered with a non-empty box (read by the report's browser test).
            window.addEventListener('load', () => {
              let drawn = 0, series = 0;
              for (const p of document.querySelectorAll('svg.plot path.series')) {
                series++; const b = p.getBBox(); if (b.width > 0 || b.height > 0) drawn++;
              }
              document.body.dataset.plots = document.querySelectorAll('svg.plot').length;
              document.body.dataset.seriesPaths = series;
              document.body.dataset.drawnPaths = drawn;
            });

            """)
    }

    static func summaryTable(_ r: RunRecord) -> String {
        let t = r.totals
        func row(_ k: String, _ v: String) -> String { "<tr><th>\(SVGPlot.escape(k))</th><td>\(SVGPlot.escape(v))</td></tr>" }
        var rows = [row("record", r.path), row("status", r.isComplete ? "complete" : "interrupted (totals up to its last flush)"),
                    row("created", r.metadata.createdUTC), row("IonLink", "\(r.metadata.ionlinkVersion) (\(r.metadata.gitRevision))"),
                    row("lab", "\(r.metadata.lab) (\(r.metadata.encoding)), seed \(r.metadata.seed), resumed \(r.resumes)×"),
                    row("attempts", "\(t.attempts)"), row("heralds", "\(t.heralds)"),
                    row("lab time", String(format: "%.3f s", t.time.total.inSeconds)),
                    row("P(success)", String(format: "%.4g (analytic %.4g, model %.4g)", t.successProbability,
                                             r.metadata.model["success_probability_analytic"] ?? .nan,
                                             r.metadata.model["success_probability_model"] ?? .nan))]
        if let f = t.verification.fidelityEstimate() {
            rows.append(row("fidelity", String(format: "%.4f ± %.4f (95 %%), model %.4f as measured (%.4f before readout)", f.fidelity,
                                               f.halfWidth, Self.measurableFidelity(r) ?? .nan, r.metadata.model["fidelity_model"] ?? .nan)))
        }
        return "<table>\n" + rows.joined(separator: "\n") + "\n</table>\n"
    }

    static func heraldRate(_ r: RunRecord) -> SVGPlot? {
        let total = r.totals.time.total.inSeconds
        guard total > 0 else { return nil }
        let times = r.heralds.prefix(r.totals.heralds).map { $0.labTime.inSeconds }
        let bins = max(5, min(60, times.count / 20)), width = total / Double(bins)
        var counts = [Int](repeating: 0, count: bins)
        for t in times { counts[min(bins - 1, max(0, Int(t / width)))] += 1 }
        let rate = counts.enumerated().map { (x: Double($0.offset) * width, y: Double($0.element) / width) }
        return SVGPlot(title: "Herald rate", xLabel: "lab time (s)", yLabel: "heralds per second", series: [
            .init(label: "measured", style: .steps, points: rate, color: palette[0]),
            .init(label: String(format: "mean %.4g /s", Double(times.count) / total), style: .reference,
                  points: [(0, Double(times.count) / total)], color: palette[1], dashed: true),
        ])
    }

    static func successProbability(_ r: RunRecord) -> SVGPlot? {
        let heralds = Array(r.heralds.prefix(r.totals.heralds))
        guard !heralds.isEmpty else { return nil }
        let stride = max(1, heralds.count / 400)
        var points: [(x: Double, y: Double)] = []
        for i in Swift.stride(from: stride - 1, to: heralds.count, by: stride) where heralds[i].attempt > 0 {
            points.append((heralds[i].labTime.inSeconds, Double(i + 1) / Double(heralds[i].attempt)))
        }
        var series: [SVGPlot.Series] = [.init(label: "measured (cumulative)", style: .line, points: points, color: palette[0])]
        if let a = r.metadata.model["success_probability_analytic"] {
            series.append(.init(label: "analytic ½ηAηB", style: .reference, points: [(0, a)], color: palette[1], dashed: true))
        }
        if let m = r.metadata.model["success_probability_model"] {
            series.append(.init(label: "exact model", style: .reference, points: [(0, m)], color: palette[2]))
        }
        return SVGPlot(title: "Success probability per attempt", xLabel: "lab time (s)", yLabel: "P(success)", series: series)
    }

    /// The fidelity the model says a run should *measure*: the state's, lowered by the ions' readout errors
    /// (what verification sees). Records written before it was kept have only the state's.
    static func measurableFidelity(_ r: RunRecord) -> Double? {
        r.metadata.model["fidelity_verified_model"] ?? r.metadata.model["fidelity_model"]
    }

    static func fidelity(_ r: RunRecord) -> SVGPlot? {
        let v = r.totals.verification
        var points: [(x: Double, y: Double)] = [], errors: [Double] = []
        for (i, b) in PauliBasis.allCases.sorted(by: { $0.rawValue < $1.rawValue }).enumerated() {
            guard let c = v.correlator(b), let n = v.shots[b] else { continue }
            points.append((Double(i), c))
            errors.append(1.96 * (max(1 - c * c, 1 / Double(n)) / Double(n)).squareRoot())
        }
        guard let f = v.fidelityEstimate() else { return nil }
        points.append((3, f.fidelity))
        errors.append(f.halfWidth)
        var series: [SVGPlot.Series] = [.init(label: "measured, 95 % CI", style: .markers, points: points, errors: errors, color: palette[0])]
        if let m = measurableFidelity(r) {
            series.append(.init(label: "model fidelity, as measured", style: .reference, points: [(0, m)], color: palette[2], dashed: true))
        }
        return SVGPlot(title: "Verification: aligned correlators and fidelity", xLabel: "basis", yLabel: "aligned parity / fidelity",
                       series: series, categories: ["XX", "YY", "ZZ", "F"])
    }

    static func clickTimes(_ r: RunRecord) -> SVGPlot? {
        var byChannel: [Int32: [Double]] = [:]
        for h in r.heralds.prefix(r.totals.heralds) {
            for c in h.clicks { byChannel[c.channel, default: []].append(Double(c.picoseconds - h.syncPicoseconds) * 1e-3) }
        }
        let all = byChannel.values.flatMap { $0 }
        guard let lo = all.min(), let hi = all.max() else { return nil }
        let bins = 60, width = max(1e-3, (hi - lo) / Double(bins))
        let series = byChannel.keys.sorted().enumerated().map { k, ch -> SVGPlot.Series in
            var counts = [Double](repeating: 0, count: bins)
            for t in byChannel[ch]! { counts[min(bins - 1, Int((t - lo) / width))] += 1 }
            return .init(label: "channel \(ch)", style: .steps, points: counts.enumerated().map { (lo + Double($0.offset) * width, $0.element) },
                         color: palette[k % palette.count])
        }
        return SVGPlot(title: "Herald click times per channel", xLabel: "time after sync (ns)", yLabel: "clicks per bin", series: series)
    }

    /// g²(τ) from the raw tags when the record kept them; otherwise the coincidence histogram of the
    /// heralds' own clicks (no accidentals to normalise by).
    static func g2(_ r: RunRecord) -> SVGPlot? {
        let heralds = r.heralds.prefix(r.totals.heralds)
        var pairs: [[Int32]: Int] = [:]
        for h in heralds where h.clicks.count >= 2 { pairs[h.clicks.map(\.channel).sorted().prefix(2).map { $0 }, default: 0] += 1 }
        guard let pair = pairs.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key.lexicographicallyPrecedes($1.key)) })?.key,
              pair.count == 2 else { return nil }
        let normalised = !r.tags.isEmpty
        let stream: [TimeTag] = normalised ? r.tags : heralds.flatMap { $0.clicks }.sorted()
        var corr = Correlator(channelA: pair[0], channelB: pair[1], binWidth: 500, range: 40_000)
        corr.process(stream)
        let values = normalised ? corr.g2 : corr.counts.map(Double.init)
        let points = values.enumerated().map { (x: Double(corr.tau(ofBin: $0.offset)) * 1e-3, y: $0.element) }
        return SVGPlot(title: normalised ? "g²(τ), channels \(pair[0]) and \(pair[1])"
                                         : "Coincidences of herald clicks, channels \(pair[0]) and \(pair[1]) (record with --record-tags for g²)",
                       xLabel: "τ = t\(pair[1]) − t\(pair[0]) (ns)", yLabel: normalised ? "g²(τ)" : "coincidences per 0.5 ns",
                       series: [.init(label: normalised ? "g²" : "coincidences", style: .steps, points: points, color: palette[3])])
    }
}
