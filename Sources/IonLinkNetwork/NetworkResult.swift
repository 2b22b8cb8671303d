/// What a network run delivered, per end-to-end pair and in all.
public struct NetworkResult: Sendable, Hashable {
    public struct PairStats: Sendable, Hashable {
        public var request: NetworkRequest
        public var delivered = 0
        public var fidelitySum = 0.0
        public var fidelitySquares = 0.0
        /// The lowest fidelity delivered (1 before any delivery).
        public var fidelityMin = 1.0
        /// Delivered pairs per second of lab time.
        public var rate = 0.0
        public var meanFidelity: Double { delivered > 0 ? fidelitySum / Double(delivered) : 0 }
        /// Standard error of the mean fidelity.
        public var fidelityStderr: Double {
            guard delivered > 1 else { return 0 }
            let n = Double(delivered), m = fidelitySum / n
            return (max(0, fidelitySquares / n - m * m) / (n - 1)).squareRoot()
        }
    }

    public var pairs: [PairStats]
    public var labTime: Duration
    /// Events processed (heralds, swaps, deliveries): what the run's cost grows with.
    public var events: Int
    /// Heralding attempts made by all hubs (drawn, not simulated one by one).
    public var attempts: Int64
    /// Fraction of lab time the hubs spent switching or attempting.
    public var hubUtilisation: Double
    /// Stored pairs discarded at the memory cut-off (their links entangled again).
    public var discarded = 0

    public var delivered: Int { pairs.map(\.delivered).reduce(0, +) }
}
