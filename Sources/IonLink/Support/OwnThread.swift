import Foundation

/// Runs `work` on a thread of its own and returns its result to the awaiting task.
///
/// Swift concurrency runs every task on a pool as wide as the machine has cores (two here). A task that
/// blocks in it (waiting for a child process, reading a pipe to its end) holds one of those threads for
/// as long as it waits, and everything else — a gRPC call's deadline included — waits with it. Blocking
/// work goes here instead.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
