import ArgumentParser

/// A command-line duration such as `10s`, `250ms`, `2m`, `1h` or `1.5e-3s`: 1 ps up to 9·10⁶ s, the range of
/// a picosecond count in 64 bits (anything else does not parse, so it is a usage error, never a trap).
struct LabDuration: ExpressibleByArgument, Sendable {
    let duration: Duration

    init(_ duration: Duration) { self.duration = duration }

    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where argument.hasSuffix(suffix) {
            guard let v = Double(argument.dropLast(suffix.count)), v.isFinite, v > 0 else { return nil }
            let seconds = v * scale
            guard seconds >= 1e-12 && seconds <= 9e6 else { return nil }
            duration = .secondsDouble(seconds)
            return
        }
        return nil
    }
}

extension LabDuration {
    /// How `--help` shows a default: `120s`, `1ms`.
    var defaultValueDescription: String {
        let ps = duration.components.seconds * 1_000_000_000_000 + duration.components.attoseconds / 1_000_000
        for (suffix, unit) in [("h", Int64(3_600_000_000_000_000)), ("m", 60_000_000_000_000), ("s", 1_000_000_000_000),
                               ("ms", 1_000_000_000), ("us", 1_000_000), ("ns", 1000)] where ps % unit == 0 {
            return "\(ps / unit)\(suffix)"
        }
        return "\(Double(ps) * 1e-12)s"
    }
}
