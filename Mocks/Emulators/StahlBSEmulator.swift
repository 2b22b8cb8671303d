import Foundation
import IonLink

/// Stahl Electronics BS-series precision DC supply for ion-trap electrodes, as its manual describes the
/// serial interface (115200 8N1, commands and replies end in CR, text in ISO 8859-1; summarised in
/// docs/wire-protocols.md, "Stahl BS series"):
/// - `IDN` → `<id> <range V, 3 digits> <channels> <type>`, e.g. `BS123 005 16 b`;
/// - `<id> CHnn <x>` sets channel nn to the normalised value x (0 = −range, 1 = +range, 5 decimals),
///   acknowledged by ACK (0x06) CR;
/// - `<id> Unn` → the measured voltage with a decimal comma, e.g. `-1,200 V`; `<id> Inn` → `… mA`;
/// - `<id> TEMP` → `TEMP 24.5°C`; `<id> LOCK` → lock-status bytes (one per group of 4 channels, 0x10 with none locked);
/// - errors `ERROR01`–`ERROR03` (this emulator: 01 unknown command, 02 no such channel, 03 value out of range).
public final class StahlBSEmulator: InstrumentEmulator {
    public let deviceID: String
    public let rangeVolts: Int
    public let channels: Int
    private var normalised: [Double]
    private var buffer: [UInt8] = []

    public init(deviceID: String = "BS123", rangeVolts: Int = 5, channels: Int = 16) {
        self.deviceID = deviceID
        self.rangeVolts = rangeVolts
        self.channels = channels
        normalised = Array(repeating: 0.5, count: channels)
    }

    public func receive(_ bytes: [UInt8]) -> [[UInt8]] {
        buffer += bytes
        var out: [[UInt8]] = []
        while let end = buffer.firstIndex(where: { $0 == 0x0D || $0 == 0x0A }) {
            let line = String(String.UnicodeScalarView(buffer[..<end].map { Unicode.Scalar($0) }))
            buffer.removeFirst(end + 1)
            if line.isEmpty { continue }
            out.append(respond(to: line).unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } + [0x0D])
        }
        return out
    }

    /// One command in, the reply out (without its CR).
    func respond(to line: String) -> String {
        let w = line.split(separator: " ").map(String.init)
        if w == ["IDN"] { return "\(deviceID) \(String(format: "%03d", rangeVolts)) \(channels) b" }
        guard w.count >= 2, w[0] == deviceID else { return "ERROR01" }
        func channel(_ token: String, prefix: String) -> Int? {
            guard token.hasPrefix(prefix), let n = Int(token.dropFirst(prefix.count)), (1...channels).contains(n) else { return nil }
            return n - 1
        }
        let verb = w[1]
        if verb == "TEMP" { return "TEMP 24.5\u{00B0}C" }
        // One byte per group of four channels: the 0x10 marker, a low bit for each overloaded (locked) channel;
        // no channel is ever overloaded here, so 0x10 each (as qcodes' and the TU Darmstadt labscript clients read it).
        if verb == "LOCK" { return String(String.UnicodeScalarView((0..<(channels + 3) / 4).map { _ in Unicode.Scalar(0x10) })) }
        if verb.hasPrefix("CH") {
            guard let ch = channel(verb, prefix: "CH") else { return "ERROR02" }
            guard w.count == 3, let x = Double(w[2]) else { return "ERROR01" }
            guard x >= 0, x <= 1 else { return "ERROR03" }
            normalised[ch] = x
            return "\u{06}"
        }
        if verb.hasPrefix("U") {
            guard let ch = channel(verb, prefix: "U") else { return "ERROR02" }
            let v = (2 * normalised[ch] - 1) * Double(rangeVolts)
            return String(format: "%.3f V", v).replacingOccurrences(of: ".", with: ",")
        }
        if verb.hasPrefix("I") {
            guard let ch = channel(verb, prefix: "I") else { return "ERROR02" }
            return String(format: "%.3f mA", 0.001 * (2 * normalised[ch] - 1)).replacingOccurrences(of: ".", with: ",")
        }
        return "ERROR01"
    }
}
