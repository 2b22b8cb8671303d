import Foundation
import IonLinkPhysics

/// One point of a parameter sweep, as the sweep report plots it.
public struct SweepPoint: Sendable {
    public var assignments: [(key: String, value: String)]
    public var heraldRate: Double
    public var successProbability: Double
    public var fidelity: Double?
    public var fidelityHalfWidth: Double?
    public var record: String
    /// The repeaterless bound of the point's channel at its attempt rate.
    public var bound: RepeaterlessBound

    public init(assignments: [(key: String, value: String)], heraldRate: Double, successProbability: Double, fidelity: Double?,
                fidelityHalfWidth: Double?, record: String, bound: RepeaterlessBound = RepeaterlessBound(attemptRate: 0, channel: 0, wholePath: 0)) {
        self.bound = bound
        self.assignments = assignments
        self.heraldRate = heraldRate
        self.successProbability = successProbability
        self.fidelity = fidelity
        self.fidelityHalfWidth = fidelityHalfWidth
        self.record = record
    }
}

/// The summary page of `ionlink sweep`: herald rate and fidelity against the first swept key (one series
/// per combination of the others), and the rate–fidelity trade-off over all points, with a table
/// linking each point's run record.
public enum SweepReport {
    /// - Parameter oneNode: the points are ion–photon links (one node's fiber is the channel: the bound's labels say so).
    public static func html(title: String, points: [SweepPoint], oneNode: Bool = false) -> String {
        guard let first = points.first?.assignments.first?.key else { return "<!DOCTYPE html><html><body>no points</body></html>" }
        let numeric = points.allSatisfy { Double($0.assignments[0].value) != nil }
        var categories: [String] = []
        for p in points where !categories.contains(p.assignments[0].value) { categories.append(p.assignments[0].value) }
        func x(_ p: SweepPoint) -> Double { numeric ? Double(p.assignments[0].value)! : Double(categories.firstIndex(of: p.assignments[0].value)!) }
        var groups: [String: [SweepPoint]] = [:], order: [String] = []
        for p in points {
            let label = p.assignments.dropFirst().map { "\($0.key.split(separator: ".").last ?? "")=\($0.value)" }.joined(separator: ", ")
            if groups[label] == nil { order.append(label) }
            groups[label, default: []].append(p)
        }
        let colors = RunReport.palette
        let rate = SVGPlot(title: "Herald rate", xLabel: first, yLabel: "heralds per second of lab time", series: order.enumerated().map { k, g in
            .init(label: g.isEmpty ? "rate" : g, style: .line, points: groups[g]!.map { (x($0), $0.heraldRate) }, color: colors[k % colors.count])
        }, categories: numeric ? nil : categories)
        let fidelity = SVGPlot(title: "Fidelity (95 % CI)", xLabel: first, yLabel: "fidelity", series: order.enumerated().map { k, g in
            let ps = groups[g]!.filter { $0.fidelity != nil }
            return .init(label: g.isEmpty ? "fidelity" : g, style: .markers, points: ps.map { (x($0), $0.fidelity!) },
                         errors: ps.map { $0.fidelityHalfWidth ?? 0 }, color: colors[k % colors.count])
        }, categories: numeric ? nil : categories)
        let tradeOff = SVGPlot(title: "Rate–fidelity trade-off", xLabel: "heralds per second", yLabel: "fidelity",
                               series: order.enumerated().map { k, g in
            let ps = groups[g]!.filter { $0.fidelity != nil }
            return .init(label: g.isEmpty ? "sweep points" : g, style: .markers, points: ps.map { ($0.heraldRate, $0.fidelity!) },
                         errors: ps.map { $0.fidelityHalfWidth ?? 0 }, color: colors[k % colors.count])
        })
        // Against the repeaterless bound: the rate on a log axis with the bound of the fibers and of the whole photon path.
        var bound = SVGPlot(title: "Herald rate and the repeaterless (PLOB) bound", xLabel: first, yLabel: "heralds or ebits per second",
                            series: order.enumerated().flatMap { k, g -> [SVGPlot.Series] in
            let ps = groups[g]!, color = colors[k % colors.count], suffix = g.isEmpty ? "" : " (\(g))"
            return [.init(label: "herald rate" + suffix, style: .line, points: ps.map { (x($0), $0.heraldRate) }, color: color),
                    .init(label: (oneNode ? "bound, fiber −log₂(1−T)" : "bound, fibers −log₂(1−T_A·T_B)") + suffix, style: .line,
                          points: ps.map { (x($0), $0.bound.channelRate) }, color: color, dashed: true),
                    .init(label: (oneNode ? "bound, whole path −log₂(1−η)" : "bound, whole path −log₂(1−η_A·η_B)") + suffix, style: .markers,
                          points: ps.map { (x($0), $0.bound.wholePathRate) }, color: color)]
        }, categories: numeric ? nil : categories)
        bound.logY = true
        var rows = "<tr>" + points[0].assignments.map { "<th>\(SVGPlot.escape($0.key))</th>" }.joined()
            + "<th>heralds/s</th><th>P(success)</th><th>fiber T</th><th>bound (ebit/s)</th><th>fidelity</th><th>record</th></tr>\n"
        for p in points {
            rows += "<tr>" + p.assignments.map { "<td>\(SVGPlot.escape($0.value))</td>" }.joined()
                + String(format: "<td>%.4g</td><td>%.4g</td><td>%.4g</td><td>%.4g</td>", p.heraldRate, p.successProbability, p.bound.channel,
                         p.bound.channelRate)
                + "<td>" + (p.fidelity.map { String(format: "%.4f ± %.4f", $0, p.fidelityHalfWidth ?? 0) } ?? "—") + "</td>"
                + "<td>\(SVGPlot.escape(p.record))</td></tr>\n"
        }
        return HTMLPage.document(title: title, body: """
            <figure>\(rate.svg())</figure>
            <figure>\(fidelity.svg())</figure>
            <figure>\(tradeOff.svg())</figure>
            <figure>\(bound.svg())</figure>
            <table>
            \(rows)</table>

            """)
    }
}
