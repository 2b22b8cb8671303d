import Foundation

/// Axis ticks at "nice" steps (1, 2 or 5 × 10ⁿ), about `target` of them over `lo…hi` (Heckbert,
/// "Nice numbers for graph labels", Graphics Gems, 1990).
enum Ticks {
    static func nice(_ x: Double, round: Bool) -> Double {
        let e = floor(log10(x)), f = x / pow(10, e)
        let n: Double
        if round { n = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10 } else { n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10 }
        return n * pow(10, e)
    }

    /// The padded range and the ticks inside it.
    static func of(_ lo: Double, _ hi: Double, target: Int = 5) -> (lo: Double, hi: Double, ticks: [Double]) {
        var lo = lo, hi = hi
        if !(hi > lo) { lo -= 0.5 * max(1e-12, abs(lo)); hi = lo + max(1e-12, abs(lo)) * 1 + 1e-12 }
        let step = nice(nice(hi - lo, round: false) / Double(max(1, target - 1)), round: true)
        let first = floor(lo / step) * step, last = ceil(hi / step) * step
        var ticks: [Double] = []
        var t = first
        while t <= last + step / 2 { ticks.append(abs(t) < step * 1e-9 ? 0 : t); t += step }
        return (first, last, ticks)
    }

    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e5 || a < 1e-3 { return String(format: "%.1e", v) }
        var s = String(format: "%.4g", v)
        if s.contains("e") { s = String(format: "%.1e", v) }
        return s
    }
}
