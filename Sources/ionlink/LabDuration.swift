import ArgumentParser

/// A command-line duration such as `10s`, `250ms`, `2m`, `1h` or `1.5e-3s`.
struct LabDuration: ExpressibleByArgument, Sendable {
    let duration: Duration

    init(_ duration: Duration) { self.duration = duration }

    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where argument.hasSuffix(suffix) {
            guard let v = Double(argument.dropLast(suffix.count)), v.isFinite, v > 0 else { return nil }
            duration = .secondsDouble(v * scale)
            return
        }
        return nil
    }
}
