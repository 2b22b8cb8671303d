import GRPCCore

/// Runs a streaming handler's `body` until it ends or the client cancels the call (goes away, or stops
/// reading): gRPC signals that through the context, not by cancelling the handler's task, so without
/// this a handler waiting for the next item would hold its stream (and the tagger, or a run watcher)
/// until that item came.
func untilCancelled(_ context: ServerContext, _ body: @escaping @Sendable () async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
            try await body()
            return true
        }
        group.addTask {
            try await context.cancellation.cancelled
            return false
        }
        let finished = try await group.next() ?? false
        group.cancelAll()
        if !finished { throw RPCError(code: .cancelled, message: "the client cancelled the call") }
    }
}
