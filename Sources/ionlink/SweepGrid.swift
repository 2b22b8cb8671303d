import ArgumentParser
import Foundation

/// The points of `ionlink sweep`: each `--set KEY=SPEC` gives a lab-YAML key and its values, where SPEC
/// is `START:STOP:COUNT` (COUNT evenly spaced values, both ends included) or a list `A,B,C`; the grid is
/// every combination, the first key varying slowest. Keys joined by `+` (`nodes.A.fiber_length_m+nodes.B.fiber_length_m`)
/// take the same value together: one axis, for a symmetric link's distance.
struct SweepGrid {
    struct Axis {
        var key: String
        var values: [String]
    }

    var axes: [Axis]

    init(_ specs: [String]) throws {
        guard !specs.isEmpty else { throw ValidationError("give at least one --set KEY=START:STOP:COUNT or KEY=A,B,C") }
        axes = try specs.map { spec in
            let kv = spec.split(separator: "=", maxSplits: 1).map(String.init)
            let keys = kv.first?.split(separator: "+", omittingEmptySubsequences: false) ?? []
            guard kv.count == 2, !kv[0].isEmpty, !keys.contains(where: \.isEmpty) else {
                throw ValidationError("--set must be KEY=START:STOP:COUNT or KEY=A,B,C (KEY may join keys with +), got \(spec)")
            }
            let parts = kv[1].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if parts.count > 1 {
                guard parts.count == 3 else { throw ValidationError("--set \(kv[0]): a range is START:STOP:COUNT, got \(kv[1])") }
                guard let a = Double(parts[0]), let b = Double(parts[1]), let n = Int(parts[2]), n >= 1, n <= 10_000, a.isFinite, b.isFinite else {
                    throw ValidationError("--set \(kv[0]): START:STOP:COUNT needs two numbers and a count from 1 to 10000, got \(kv[1])")
                }
                // The third number is a count, not a step: `2:40:1` would run 2 alone, which no one means.
                guard n > 1 || a == b else {
                    throw ValidationError("--set \(kv[0]): \(kv[1]) is one value (\(parts[0])): the third number is the COUNT of values, "
                                          + "not a step (for 2 to 40 in steps of 1, 2:40:39)")
                }
                let values = (0..<n).map { i in n == 1 ? a : a + (b - a) * Double(i) / Double(n - 1) }
                return Axis(key: kv[0], values: values.map { v in v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.6g", v) })
            }
            let list = kv[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !list.isEmpty, list.allSatisfy({ !$0.isEmpty }) else { throw ValidationError("--set \(kv[0]): no values in \(kv[1])") }
            return Axis(key: kv[0], values: list)
        }
        guard count <= 100_000 else { throw ValidationError("the grid has \(count) points; at most 100000") }
    }

    var count: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// The axis → value assignments of point `index` (an axis of linked keys is one assignment, its keys joined by `+`).
    func point(_ index: Int) -> [(key: String, value: String)] {
        var rest = index, out: [(String, String)] = []
        for axis in axes.reversed() {
            out.append((axis.key, axis.values[rest % axis.values.count]))
            rest /= axis.values.count
        }
        return out.reversed()
    }

    /// The lab-YAML key → value settings of point `index`, each linked key on its own.
    func settings(_ index: Int) -> [(key: String, value: String)] {
        point(index).flatMap { a in a.key.split(separator: "+").map { (String($0), a.value) } }
    }
}
