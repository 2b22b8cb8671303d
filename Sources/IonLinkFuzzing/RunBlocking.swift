import Dispatch

/// Runs `body` to completion, blocking the caller: libFuzzer's callback is synchronous, the harnesses are not.
func runBlocking(_ body: @escaping @Sendable () async -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task {
        await body()
        done.signal()
    }
    done.wait()
}
