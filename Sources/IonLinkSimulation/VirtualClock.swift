import IonLink
import Synchronization

/// Simulated lab time: it advances only when told, so a simulated hour runs in milliseconds.
public final class VirtualClock: LabClock {
    private let picoseconds = Mutex<Int64>(0)

    public init() {}

    public func now() -> Duration { .picoseconds(picoseconds.withLock { $0 }) }

    /// Advances virtual time; never sleeps.
    public func spend(_ duration: Duration) async { advance(by: duration) }

    /// Synchronous advance, for simulated devices.
    public func advance(by duration: Duration) {
        let ps = duration.inPicoseconds
        picoseconds.withLock { $0 += ps }
    }

    /// Synchronous advance by a picosecond count.
    public func advance(picoseconds ps: Int64) { picoseconds.withLock { $0 += ps } }

    /// Current time in picoseconds.
    public var nowPicoseconds: Int64 { picoseconds.withLock { $0 } }
}
