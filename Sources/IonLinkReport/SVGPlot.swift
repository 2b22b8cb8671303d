import Foundation

/// A small SVG chart: axes with ticks and labels, and series drawn as lines, step histograms,
/// markers with error bars, or horizontal reference lines. Self-contained markup, no script.
public struct SVGPlot: Sendable {
    public enum Style: Sendable { case line, steps, markers, reference }

    public struct Series: Sendable {
        public var label: String
        public var style: Style
        public var points: [(x: Double, y: Double)]
        /// Half-widths of error bars (markers only), one per point.
        public var errors: [Double] = []
        public var color: String
        public var dashed = false

        public init(label: String, style: Style, points: [(x: Double, y: Double)], errors: [Double] = [], color: String,
                    dashed: Bool = false) {
            self.label = label
            self.style = style
            self.points = points
            self.errors = errors
            self.color = color
            self.dashed = dashed
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Category names for the x axis (markers at x = 0, 1, …) instead of numeric ticks.
    public var categories: [String]?
    public var width = 640.0, height = 360.0
    /// A logarithmic y axis (ticks at decades; points at y ≤ 0 and error bars left out).
    public var logY = false

    public init(title: String, xLabel: String, yLabel: String, series: [Series], categories: [String]? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.categories = categories
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    public func svg() -> String {
        let left = 78.0, right = 18.0, top = 34.0, bottom = 52.0
        let pw = width - left - right, ph = height - top - bottom
        let series = logY ? self.series.map { s in
            var t = s
            t.points = s.points.filter { $0.y > 0 && $0.y.isFinite }.map { ($0.x, log10($0.y)) }
            t.errors = []
            return t
        } : self.series
        let xs = series.flatMap { $0.style == .reference ? [] : $0.points.map(\.x) }
        var ys: [Double] = []
        for s in series {
            for (i, p) in s.points.enumerated() {
                let e = i < s.errors.count ? s.errors[i] : 0
                ys += [p.y - e, p.y + e]
            }
        }
        let xr: (lo: Double, hi: Double, ticks: [Double])
        if let categories { xr = (-0.5, Double(categories.count) - 0.5, Array(0..<categories.count).map(Double.init)) } else {
            xr = Ticks.of(xs.min() ?? 0, xs.max() ?? 1)
        }
        let yr = logY ? Ticks.decades(ys.min() ?? 0, ys.max() ?? 1) : Ticks.of(ys.min() ?? 0, ys.max() ?? 1)
        func px(_ x: Double) -> Double { left + (x - xr.lo) / (xr.hi - xr.lo) * pw }
        func py(_ y: Double) -> Double { top + ph - (y - yr.lo) / (yr.hi - yr.lo) * ph }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }

        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(Self.escape(title))\">\n"
        out += "<text class=\"title\" x=\"\(f(left + pw / 2))\" y=\"20\" text-anchor=\"middle\">\(Self.escape(title))</text>\n"
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(pw))\" height=\"\(f(ph))\" fill=\"none\" stroke=\"#444\"/>\n"
        for t in yr.ticks {
            out += "<path class=\"grid\" d=\"M\(f(left)) \(f(py(t)))H\(f(left + pw))\" stroke=\"#ddd\"/>"
            let value = logY ? pow(10, t) : t
            out += "<text class=\"tick\" x=\"\(f(left - 6))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(Ticks.label(value))</text>\n"
        }
        for (i, t) in xr.ticks.enumerated() {
            let name = categories.map { $0[i] } ?? Ticks.label(t)
            out += "<path class=\"tickmark\" d=\"M\(f(px(t))) \(f(top + ph))v5\" stroke=\"#444\"/>"
            out += "<text class=\"tick\" x=\"\(f(px(t)))\" y=\"\(f(top + ph + 18))\" text-anchor=\"middle\">\(Self.escape(name))</text>\n"
        }
        out += "<text class=\"axis-label\" x=\"\(f(left + pw / 2))\" y=\"\(f(height - 10))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>\n"
        out += "<text class=\"axis-label\" transform=\"translate(16 \(f(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\">"
            + "\(Self.escape(yLabel))</text>\n"
        for (k, s) in series.enumerated() {
            let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
            switch s.style {
            case .line where !s.points.isEmpty:
                let d = s.points.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(f(px($0.element.x))) \(f(py($0.element.y)))" }.joined()
                out += "<path class=\"series\" d=\"\(d)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.8\"\(dash)/>\n"
            case .steps where s.points.count > 1:
                let w = s.points[1].x - s.points[0].x
                var d = "M\(f(px(s.points[0].x))) \(f(py(yr.lo)))"
                for p in s.points { d += "V\(f(py(p.y)))H\(f(px(p.x + w)))" }
                d += "V\(f(py(yr.lo)))"
                out += "<path class=\"series\" d=\"\(d)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.4\"\(dash)/>\n"
            case .markers:
                for (i, p) in s.points.enumerated() {
                    let e = i < s.errors.count ? s.errors[i] : 0
                    out += "<path class=\"series errorbar\" d=\"M\(f(px(p.x))) \(f(py(p.y - e)))V\(f(py(p.y + e)))"
                        + "M\(f(px(p.x) - 6)) \(f(py(p.y - e)))h12M\(f(px(p.x) - 6)) \(f(py(p.y + e)))h12\""
                        + " stroke=\"\(s.color)\" stroke-width=\"1.5\"/>"
                    out += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"4\" fill=\"\(s.color)\"/>\n"
                }
            case .reference:
                for p in s.points {
                    out += "<path class=\"series reference\" d=\"M\(f(left)) \(f(py(p.y)))H\(f(left + pw))\" stroke=\"\(s.color)\" "
                        + "stroke-width=\"1.4\"\(dash)/>\n"
                }
            default: break
            }
            // Legend at the top right, as wide as its longest label (about 6.5 px a character at 12 px).
            let legendWidth = 36 + 6.5 * Double(series.map(\.label.count).max() ?? 0)
            let ly = top + 14 + Double(k) * 16
            out += "<path class=\"legend\" d=\"M\(f(left + pw - legendWidth)) \(f(ly - 4))h22\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash)/>"
            out += "<text class=\"legend\" x=\"\(f(left + pw - legendWidth + 28))\" y=\"\(f(ly))\">\(Self.escape(s.label))</text>\n"
        }
        out += "</svg>"
        return out
    }
}
