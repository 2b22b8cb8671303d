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

/// Werner states: ρ = w|Ψ⟩⟨Ψ| + (1 − w)·I/4, fidelity F = (1 + 3w)/4. Swapping two Werner pairs with a
/// perfect Bell-state measurement gives a Werner pair with w = w₁·w₂ (Dür, Briegel, Cirac and Zoller,
/// PRA 59, 169 (1999), eq. 2 and its discussion); an imperfect swap multiplies in its own w_swap.
/// A depolarising memory multiplies w by exp(−t/τ).
public enum Werner {
    public static func parameter(fidelity f: Double) -> Double { (4 * f - 1) / 3 }
    public static func fidelity(parameter w: Double) -> Double { (1 + 3 * w) / 4 }
}
