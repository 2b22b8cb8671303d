import Foundation
import Synchronization

/// SIGINT and SIGTERM during a run: the first calls `onFirst` (the run stops between bursts and brings
/// the lab to a safe state before exiting); a second exits at once with status 130.
final class StopSignals: Sendable {
    /// Signals received so far (shared with the handlers).
    private final class Count: Sendable {
        let value = Mutex(0)
        /// Adds `k` signals and returns the count before and after.
        func add(_ k: Int) -> (before: Int, after: Int) { value.withLock { n in n += k; return (n - k, n) } }
    }

    /// The dispatch sources, kept alive as long as the handler; written once in `init` and never read
    /// (so no concurrent access, which is what the opt-out states).
    nonisolated(unsafe) private let sources: [any DispatchSourceSignal]

    init(onFirst: @escaping @Sendable (Int32) -> Void) {
        let received = Count()
        var made: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)   // delivered through the dispatch source instead
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            // The source's data is how many signals arrived since the handler last ran (two quick
            // presses of ^C can arrive as one event).
            source.setEventHandler { [source] in
                let count = received.add(max(1, Int(source.data)))
                if count.before == 0 { onFirst(sig) }
                if count.after >= 2 {
                    FileHandle.standardError.write(Data("\nsecond signal: exiting at once\n".utf8))
                    exit(130)
                }
            }
            source.resume()
            made.append(source)
        }
        sources = made
    }
}
