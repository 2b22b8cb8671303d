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

    /// A log10 range padded to whole decades, with a tick at each (every second or more when there are many).
    static func decades(_ lo: Double, _ hi: Double) -> (lo: Double, hi: Double, ticks: [Double]) {
        var lo = floor(lo), hi = ceil(hi)
        if !(hi > lo) { lo -= 1; hi += 1 }
        let step = max(1, ceil((hi - lo) / 8))
        return (lo, hi, Array(stride(from: lo, through: hi, by: step)))
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
