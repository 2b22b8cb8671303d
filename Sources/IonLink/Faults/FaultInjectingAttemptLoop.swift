import Synchronization

/// The attempt loop with the fault plan's clock running: before each burst it lets the injector start
/// whatever is due (so an interlock or an overflow lands between bursts), and it counts what the loop
/// itself produced — the ground truth that a run's recorded heralds are checked against.
public final class FaultInjectingAttemptLoop: AttemptLoop {
    public let inner: any AttemptLoop
    public let injector: FaultInjector
    private let produced = Mutex<(attempts: Int64, heralds: Int, lostWithTags: Int64)>((0, 0, 0))

    public init(_ inner: any AttemptLoop, injector: FaultInjector) {
        self.inner = inner
        self.injector = injector
    }

    public var attemptPeriod: Duration { inner.attemptPeriod }

    public func runBurst(maxAttempts: Int64) async throws(AttemptLoopError) -> BurstResult {
        await injector.advance()
        let burst = try await inner.runBurst(maxAttempts: maxAttempts)
        produced.withLock {
            $0.attempts += burst.attempts
            if burst.herald != nil { $0.heralds += 1 }
            if burst.tagsLost { $0.lostWithTags += burst.attempts }
        }
        return burst
    }

    /// Attempts made, heralds reported, and attempts whose tags the tagger lost, since creation.
    public var totals: (attempts: Int64, heralds: Int, lostWithTags: Int64) { produced.withLock { $0 } }
}
