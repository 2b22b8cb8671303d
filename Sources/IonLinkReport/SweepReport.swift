import Foundation

/// One point of a parameter sweep, as the sweep report plots it.
public struct SweepPoint: Sendable {
    public var assignments: [(key: String, value: String)]
    public var heraldRate: Double
    public var successProbability: Double
    public var fidelity: Double?
    public var fidelityHalfWidth: Double?
    public var record: String

    public init(assignments: [(key: String, value: String)], heraldRate: Double, successProbability: Double, fidelity: Double?,
                fidelityHalfWidth: Double?, record: String) {
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
    public static func html(title: String, points: [SweepPoint]) -> String {
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
        var rows = "<tr>" + points[0].assignments.map { "<th>\(SVGPlot.escape($0.key))</th>" }.joined()
            + "<th>heralds/s</th><th>P(success)</th><th>fidelity</th><th>record</th></tr>\n"
        for p in points {
            rows += "<tr>" + p.assignments.map { "<td>\(SVGPlot.escape($0.value))</td>" }.joined()
                + String(format: "<td>%.4g</td><td>%.4g</td>", p.heraldRate, p.successProbability)
                + "<td>" + (p.fidelity.map { String(format: "%.4f ± %.4f", $0, p.fidelityHalfWidth ?? 0) } ?? "—") + "</td>"
                + "<td>\(SVGPlot.escape(p.record))</td></tr>\n"
        }
        return HTMLPage.document(title: title, body: """
            <figure>\(rate.svg())</figure>
            <figure>\(fidelity.svg())</figure>
            <figure>\(tradeOff.svg())</figure>
            <table>
            \(rows)</table>

            """)
    }
}
