import IonLink

/// A network of ion traps behind an optical switch: N traps, K detection hubs, and what one elementary
/// link between two traps is like (taken from a lab's link budget: attempt period, success probability,
/// heralded fidelity).
public struct NetworkParameters: Sendable, Hashable {
    public var nodes: Int
    public var hubs: Int
    /// Lab time of one heralding attempt, cooling included (its share of each cooling period).
    public var attemptPeriod: Duration
    /// Probability that one attempt heralds.
    public var successProbability: Double
    /// Fidelity of a freshly heralded pair with the target Bell state (treated as a Werner state).
    public var heraldedFidelity: Double
    /// Coherence time of a stored pair: its Werner parameter decays as exp(−t/τ) while it waits.
    public var memoryCoherence: Duration
    /// Time the optical switch takes to connect a hub to a new pair of traps.
    public var switchTime: Duration
    /// Fidelity of the entanglement swap inside a trap (gate plus Bell-state measurement), as a Werner map.
    public var swapFidelity: Double
    /// Time an entanglement swap takes.
    public var swapDuration: Duration
    /// Elementary links that differ by hop (hop h of every chain is `hopLinks[h % count]`, e.g. a link between buildings
    /// then one inside a building); empty: every hop is the link above.
    public var hopLinks: [ElementaryLink] = []

    /// The link of hop `h`.
    public func link(hop h: Int) -> ElementaryLink {
        hopLinks.isEmpty ? ElementaryLink(attemptPeriod: attemptPeriod, successProbability: successProbability, heraldedFidelity: heraldedFidelity)
            : hopLinks[h % hopLinks.count]
    }

    public init(nodes: Int, hubs: Int, attemptPeriod: Duration, successProbability: Double, heraldedFidelity: Double,
                memoryCoherence: Duration, switchTime: Duration = .milliseconds(1), swapFidelity: Double = 1,
                swapDuration: Duration = .microseconds(100)) {
        self.nodes = nodes
        self.hubs = hubs
        self.attemptPeriod = attemptPeriod
        self.successProbability = successProbability
        self.heraldedFidelity = heraldedFidelity
        self.memoryCoherence = memoryCoherence
        self.switchTime = switchTime
        self.swapFidelity = swapFidelity
        self.swapDuration = swapDuration
    }
}

/// One elementary link as a lab's link budget gives it: lab time per attempt (the herald's round trip and the share
/// of cooling included), success probability per attempt, heralded fidelity; and the node–hub fiber it was built for.
public struct ElementaryLink: Sendable, Hashable, Codable {
    public var attemptPeriod: Duration
    public var successProbability: Double
    public var heraldedFidelity: Double
    /// Each node's fiber to the hub, metres (for reports).
    public var fiberLengthMeters: Double

    public init(attemptPeriod: Duration, successProbability: Double, heraldedFidelity: Double, fiberLengthMeters: Double = 0) {
        self.attemptPeriod = attemptPeriod
        self.successProbability = successProbability
        self.heraldedFidelity = heraldedFidelity
        self.fiberLengthMeters = fiberLengthMeters
    }
}

/// Werner states: ρ = w|Ψ⟩⟨Ψ| + (1 − w)·I/4, fidelity F = (1 + 3w)/4. Swapping two Werner pairs with a
/// perfect Bell-state measurement gives a Werner pair with w = w₁·w₂ (Dür, Briegel, Cirac and Zoller,
/// PRA 59, 169 (1999), eq. 2 and its discussion); an imperfect swap multiplies in its own w_swap.
/// A depolarising memory multiplies w by exp(−t/τ).
public enum Werner {
    public static func parameter(fidelity f: Double) -> Double { (4 * f - 1) / 3 }
    public static func fidelity(parameter w: Double) -> Double { (1 + 3 * w) / 4 }
}
