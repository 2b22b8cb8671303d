import Testing
import IonLink

/// A repeatable read survives a few transient failures in a row, and no more; a permanent failure is not retried.
@Suite struct TransientRetryTests {
    let timeout = TemperatureControllerError(TransportError.timeout(port: "p", after: .milliseconds(1), partial: []), device: "oven",
                                             command: "tact?")
    let wrong = TemperatureControllerError.wrongInstrument(device: "oven", expected: "Thorlabs TC200", found: "SIM900")

    /// Fails with `errors` in turn, then reads 42.
    func read(_ errors: [TemperatureControllerError], calls: inout Int) async throws(TemperatureControllerError) -> Int {
        calls += 1
        if calls <= errors.count { throw errors[calls - 1] }
        return 42
    }

    @Test func transientFailuresUpToTheLimitAreRetried() async throws {
        var calls = 0
        let value = try await retryingTransient(retries: 3, pause: .milliseconds(1)) { () throws(TemperatureControllerError) in
            try await read([timeout, timeout, timeout], calls: &calls)
        }
        #expect(value == 42 && calls == 4)
    }

    @Test func oneTransientFailureTooManyIsThrown() async {
        var calls = 0
        await #expect(throws: timeout) {
            _ = try await retryingTransient(retries: 2, pause: .milliseconds(1)) { () throws(TemperatureControllerError) in
                try await read([timeout, timeout, timeout], calls: &calls)
            }
        }
        #expect(calls == 3)
    }

    @Test func aPermanentFailureIsNotRetried() async {
        var calls = 0
        await #expect(throws: wrong) {
            _ = try await retryingTransient(retries: 5, pause: .milliseconds(1)) { () throws(TemperatureControllerError) in
                try await read([wrong], calls: &calls)
            }
        }
        #expect(calls == 1)
    }
}
