import Foundation
import IonLink

/// One model's harmless identification query on a serial port, and how to recognise its answer.
public struct IdentificationProbe: Sendable {
    /// The bytes sent, terminator included.
    public var query: String
    /// The serial settings the model speaks.
    public var settings: SerialSettings
    /// Recognises the model in the reply's printable lines and returns the identity to show.
    public var recognise: @Sendable ([String]) -> String?

    public init(query: String, settings: SerialSettings, recognise: @escaping @Sendable ([String]) -> String?) {
        self.query = query
        self.settings = settings
        self.recognise = recognise
    }

    /// Any SCPI instrument: the first line of its `*IDN?` reply that looks like an identity.
    public static let anySCPI = IdentificationProbe(query: "*IDN?\r\n", settings: .baud115200) { lines in
        lines.first { $0.contains(",") || $0.contains(" - ") }
    }
}

/// Asks an unknown serial port what instrument is on it, sending each distinct identification query of
/// the given probes once (in order; probes sharing a query and settings read the same reply).
public enum InstrumentProbe {
    /// The instrument's identification, or nil if no probe recognised a reply in time.
    public static func identify(path: String, probes: [IdentificationProbe], timeout: Duration = .milliseconds(200)) async -> String? {
        var groups: [(query: String, settings: SerialSettings, probes: [IdentificationProbe])] = []
        for p in probes {
            if let i = groups.firstIndex(where: { $0.query == p.query && $0.settings == p.settings }) {
                groups[i].probes.append(p)
            } else {
                groups.append((p.query, p.settings, [p]))
            }
        }
        for g in groups {
            guard let lines = await ask(path: path, query: g.query, settings: g.settings, timeout: timeout) else { continue }
            for p in g.probes { if let id = p.recognise(lines) { return id } }
        }
        return nil
    }

    /// The printable lines that arrived within the timeout after `query`, or nil if the port would not open.
    private static func ask(path: String, query: String, settings: SerialSettings, timeout: Duration) async -> [String]? {
        guard let transport = try? SerialPortTransport(path: path, settings: settings) else { return nil }
        defer { Task { await transport.close() } }
        await transport.flushInput()
        guard (try? await transport.write(Array(query.utf8))) != nil else { return nil }
        var bytes: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, let chunk = try? await transport.read(timeout: deadline - ContinuousClock.now) {
            bytes += chunk
            if bytes.contains(0x0A) || bytes.contains(0x0D) { break }
        }
        let text = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0.isPrintableASCII }
    }
}
