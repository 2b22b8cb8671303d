extension Duration {
    /// A duration of a whole number of picoseconds.
    public static func picoseconds(_ ps: Int64) -> Duration {
        .init(secondsComponent: ps / 1_000_000_000_000, attosecondsComponent: (ps % 1_000_000_000_000) * 1_000_000)
    }

    /// A duration from a floating-point number of seconds, rounded to the picosecond.
    public static func secondsDouble(_ s: Double) -> Duration { .picoseconds(Int64((s * 1e12).rounded())) }

    /// The duration in whole picoseconds (truncated toward zero).
    public var inPicoseconds: Int64 {
        let (s, atto) = components
        return s * 1_000_000_000_000 + atto / 1_000_000
    }

    /// The duration in seconds as a `Double`.
    public var inSeconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }
}
