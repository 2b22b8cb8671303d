import Foundation

/// The repeaterless bound on entanglement distribution over a lossy channel: at most −log₂(1 − η) ebits per use of a
/// pure-loss channel of transmissivity η, whatever the protocol (Pirandola, Laurenza, Ottaviani & Banchi, Nat. Commun.
/// 8, 15043 (2017), the two-way assisted capacity of the pure-loss channel; ≈ 1.44·η at high loss).
///
/// A link uses its channel once per attempt, so at `attemptRate` the bound is attemptRate·(−log₂(1 − η)) ebits per
/// second. Which losses count as the channel is a choice: ``channel`` is the fibers alone, node A to the hub to node B
/// (T_A·T_B: what a repeater would have to beat), ``wholePath`` every loss between the two ions (η_A·η_B, sources,
/// conversion and detectors included), the bound a link built from these parts could at best reach.
public struct RepeaterlessBound: Sendable, Hashable {
    /// Attempts (channel uses) per second.
    public var attemptRate: Double
    /// Transmissivity of the fibers between the nodes.
    public var channel: Double
    /// Transmissivity of the whole photon path, ion to click, both nodes.
    public var wholePath: Double

    public init(attemptRate: Double, channel: Double, wholePath: Double) {
        self.attemptRate = attemptRate
        self.channel = channel
        self.wholePath = wholePath
    }

    /// −log₂(1 − η) ebits per channel use (infinite for η = 1).
    public static func capacity(transmissivity eta: Double) -> Double { -log1p(-min(1, max(0, eta))) / log(2) }

    /// The bound over the fibers, ebits per second.
    public var channelRate: Double { attemptRate * Self.capacity(transmissivity: channel) }

    /// The bound over the whole photon path, ebits per second.
    public var wholePathRate: Double { attemptRate * Self.capacity(transmissivity: wholePath) }
}
