import IonLink
import IonLinkPhysics
import Synchronization

/// The physical state every simulated device of one lab shares: the ions, the light and the
/// detectors, one seeded random stream and one virtual clock. Devices are views onto it.
public final class SimulatedWorld: Sendable {
    /// Mutable world state, only touched under the lock.
    public struct State: Sendable {
        public var rng: SeededGenerator
        /// Ion present in trap A, B.
        public var ionPresent: [Bool] = [true, true]
        /// Excitation light enabled at node A, B.
        public var excitationOn: [Bool] = [false, false]
        /// Cooling light enabled at node A, B.
        public var coolingOn: [Bool] = [false, false]
        /// Per click slot: whether its detector is enabled and not latched.
        public var slotLive: [Bool] = [true, true, true, true]
        /// Each slot's detector efficiency relative to the lab's (its bias away from the configured one).
        public var slotEfficiencyScale: [Double] = [1, 1, 1, 1]
        /// The two-ion state after the last herald, collapsed by each readout.
        public var ionPairState: DensityMatrix4?
        /// Ion losses so far, per node.
        public var losses: [Int] = [0, 0]
    }

    public let clock: VirtualClock
    let state: Mutex<State>

    public init(seed: UInt64, clock: VirtualClock = VirtualClock()) {
        self.clock = clock
        state = Mutex(State(rng: SeededGenerator(seed: seed)))
    }

    /// Runs `body` with exclusive access to the state.
    public func withState<R>(_ body: (inout State) -> R) -> R {
        state.withLock { body(&$0) }
    }
}
