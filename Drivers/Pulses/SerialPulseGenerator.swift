import IonLink
import Logging

/// A pulse generator on a serial port whose attempt maps onto its outputs by role (``PulsePlan``).
public protocol SerialPulseGenerator: BurstFiring, IdentifiedOnConnect, SerialLineInstrument {
    /// One of its outputs (a channel, or a pair of delay channels).
    associatedtype Output: Hashable & Sendable
    /// The outputs each role uses unless the lab says otherwise.
    static var defaultOutputs: [PulseRole: [Output]] { get }

    /// Sets the number of attempts one start fires; refused outside the unit's burst range before sending.
    func armBurst(count: Int) async throws(PulseGeneratorError)
    /// Fires the armed burst.
    func trigger() async throws(PulseGeneratorError)

    /// Identifies the unit over an open line session (``SerialLineInstrument/framing`` over any ``ByteTransport``).
    static func connect(name: String, outputs: [PulseRole: [Output]], logger: Logger,
                        session: LineSession) async throws(PulseGeneratorError) -> Self
}

extension SerialPulseGenerator {
    /// Opens the instrument at `port` (found again by the same locator after a replug) and identifies it.
    public static func connect(name: String, port: SerialPortLocator, outputs: [PulseRole: [Output]] = defaultOutputs,
                               settings: SerialSettings = serialSettings, timeout: Duration = .milliseconds(500),
                               logger: Logger) async throws(PulseGeneratorError) -> Self {
        try await connect(name: name, outputs: outputs, logger: logger,
                          session: serialSession(port, settings: settings, timeout: timeout, logger: logger))
    }
}
