import IonLink
import Synchronization

/// The lab clock of a node, seen from afar.
///
/// Every reply from a node carries its lab time; the mirror keeps the latest (lab time only moves on),
/// so `now()` needs no call. `spend` asks the node that holds the clock to let the time pass.
public final class LabTimeMirror: LabClock {
    private let latest = Atomic<Int64>(0)
    private let spender: @Sendable (Duration) async -> Int64?

    /// - Parameter spender: asks the clock's node to let the time pass; returns the node's lab time after.
    init(spender: @escaping @Sendable (Duration) async -> Int64?) {
        self.spender = spender
    }

    /// Takes the lab time a reply carried.
    func observe(picoseconds: Int64) {
        guard picoseconds > 0 else { return }
        latest.max(picoseconds)
    }

    public func now() -> Duration { .picoseconds(latest.load(ordering: .acquiring)) }

    public func spend(_ duration: Duration) async {
        if let t = await spender(duration) { observe(picoseconds: t) }
    }
}

extension Atomic where Value == Int64 {
    func max(_ v: Int64) {
        var current = load(ordering: .relaxed)
        while v > current {
            let (exchanged, original) = compareExchange(expected: current, desired: v, ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = original
        }
    }
}
