import Foundation
import IonLink

/// Asks an unknown serial port what instrument is on it, with queries harmless to every supported
/// model: SCPI `*IDN?` at 115200 baud (OBIS, TDC1 and other SCPI instruments).
public enum InstrumentProbe {
    /// The instrument's identification line, or nil if nothing answered in time.
    public static func identify(path: String, timeout: Duration = .milliseconds(300)) async -> String? {
        guard let transport = try? SerialPortTransport(path: path, settings: .baud115200) else { return nil }
        defer { Task { await transport.close() } }
        guard (try? await transport.write(Array("*IDN?\r\n".utf8))) != nil else { return nil }
        var framer = LineFramer(terminator: [0x0A])
        guard let line = try? await readLine(from: transport, framer: &framer, timeout: timeout) else { return nil }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty || !text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) ? nil : text
    }
}
