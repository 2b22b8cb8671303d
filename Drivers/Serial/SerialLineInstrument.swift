import IonLink
import Logging

/// An instrument that speaks a line protocol over a serial port: its framing and its factory serial settings.
public protocol SerialLineInstrument {
    /// The line framing of its protocol.
    static var framing: LineFraming { get }
    /// Its serial settings as they leave the factory.
    static var serialSettings: SerialSettings { get }
}

extension SerialLineInstrument {
    /// A session in this instrument's framing over the serial port `port` finds (found again by the same
    /// locator after a replug), with `settings` (by default the factory ones).
    public static func serialSession(_ port: SerialPortLocator, settings: SerialSettings = serialSettings, timeout: Duration,
                                     logger: Logger) -> LineSession {
        LineSession.serial(port, settings: settings, framing: framing, timeout: timeout, logger: logger)
    }
}
