/// Runs a read that may safely be repeated, trying it again after `pause` when it fails transiently
/// (``DeviceFailure/transient(_:)``: no reply, a garbled reply, the device briefly off the bus), at most
/// `retries` times in a row; a permanent failure, or the last transient one, is thrown.
///
/// For polls outside a run's own recovery (which books lost lab time): an oven settling for many minutes
/// is read thousands of times, and one lost reply must not stop the run it is being readied for.
public func retryingTransient<T, E: ClassifiedDeviceError>(retries: Int, pause: Duration,
                                                          _ read: () async throws(E) -> T) async throws(E) -> T {
    var failures = 0
    while true {
        do throws(E) {
            return try await read()
        } catch {
            guard case .transient = error.failure, failures < retries else { throw error }
            failures += 1
            try? await Task.sleep(for: pause)
        }
    }
}
