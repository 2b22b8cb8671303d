import Foundation
import IonLink

/// Asks an unknown serial port what instrument is on it, trying each supported model's harmless
/// identification query in turn (each a query every model answers with an error at worst):
/// SCPI `*IDN?` (OBIS, TDC1, SIM900), Cobolt `gsn?`, Toptica `ver`, Stahl `IDN`, Windfreak `+`.
public enum InstrumentProbe {
    struct Probe: Sendable {
        var model: String
        var query: String
        var baud: SerialSettings
        /// Recognises the reply and returns the identity to show.
        var recognise: @Sendable ([String]) -> String?
    }

    static let probes: [Probe] = [
        Probe(model: "scpi", query: "*IDN?\r\n", baud: .baud115200) { lines in
            lines.first { $0.contains(",") || $0.contains(" - ") }
        },
        Probe(model: "sim900", query: "*IDN?\n", baud: .baud9600) { lines in lines.first { $0.contains("SIM900") } },
        Probe(model: "cobolt", query: "gsn?\r", baud: .baud115200) { lines in
            lines.first.flatMap { !$0.isEmpty && $0.allSatisfy(\.isNumber) ? "Cobolt laser s/n \($0)" : nil }
        },
        Probe(model: "ibeam", query: "ver\r\n", baud: .baud115200) { lines in lines.first { $0.contains("iBEAM") } },
        Probe(model: "stahl", query: "IDN\r", baud: .baud115200) { lines in
            lines.first.flatMap { $0.hasPrefix("BS") ? "Stahl \($0)" : nil }
        },
        Probe(model: "synthhd", query: "+", baud: .baud115200) { lines in lines.first { $0.contains("SynthHD") } },
    ]

    /// The instrument's identification, or nil if no probe was recognised in time.
    public static func identify(path: String, timeout: Duration = .milliseconds(200)) async -> String? {
        for probe in probes {
            if let id = await ask(path: path, probe: probe, timeout: timeout) { return id }
        }
        return nil
    }

    private static func ask(path: String, probe: Probe, timeout: Duration) async -> String? {
        guard let transport = try? SerialPortTransport(path: path, settings: probe.baud) else { return nil }
        defer { Task { await transport.close() } }
        await transport.flushInput()
        guard (try? await transport.write(Array(probe.query.utf8))) != nil else { return nil }
        // Collect what arrives within the timeout; split into printable lines.
        var bytes: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, let chunk = try? await transport.read(timeout: deadline - ContinuousClock.now) {
            bytes += chunk
            if bytes.contains(0x0A) || bytes.contains(0x0D) { break }
        }
        let text = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F } }
        return probe.recognise(lines)
    }
}
