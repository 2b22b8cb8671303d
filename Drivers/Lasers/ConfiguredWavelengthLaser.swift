import IonLink
import Logging

/// A serial laser that does not report its wavelength: the lab config gives it, with the power limit,
/// when the driver connects.
public protocol ConfiguredWavelengthLaser: Laser, IdentifiedOnConnect, SerialLineInstrument {
    /// Identifies the laser over an open line session (``SerialLineInstrument/framing`` over any
    /// ``ByteTransport``: a serial port, an in-memory emulator, a fuzzer's script).
    static func connect(name: String, wavelength: Wavelength, maxPower: Power, logger: Logger,
                        session: LineSession) async throws(LaserError) -> Self
}

extension ConfiguredWavelengthLaser {
    /// Opens the instrument at `port` (found again by the same locator after a replug) and identifies it.
    public static func connect(name: String, port: SerialPortLocator, wavelength: Wavelength, maxPower: Power,
                               timeout: Duration = .milliseconds(500), logger: Logger) async throws(LaserError) -> Self {
        try await connect(name: name, wavelength: wavelength, maxPower: maxPower, logger: logger,
                          session: serialSession(port, timeout: timeout, logger: logger))
    }
}
