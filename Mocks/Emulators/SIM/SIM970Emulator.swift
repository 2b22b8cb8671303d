import Foundation

/// SRS SIM970 quad digital voltmeter, as its manual describes the command set: `VOLT? <ch>[,<navg>]`
/// returns navg readings, one line each; `*IDN?`; `TERM(?) {NONE 0, CR 1, LF 2, CRLF 3, LFCR 4}`, the
/// replies' terminator, CR LF at power-on (manual §3.4, as for every SIM module). Each wired channel reads
/// the voltage across the bias resistor of its ``SNSPDCircuit``; the others read 0 V. Readings carry 20 µV
/// of noise.
public final class SIM970Emulator: SIMModule {
    public let circuits: [Int: SNSPDCircuit]
    private var noiseState: UInt64 = 0x9E37_79B9_7F4A_7C15
    public private(set) var terminator = "\r\n"

    public init(circuits: [Int: SNSPDCircuit]) { self.circuits = circuits }

    public convenience init(circuit: SNSPDCircuit, monitorChannel: Int = 1) {
        self.init(circuits: [monitorChannel: circuit])
    }

    private func noise() -> Double {
        noiseState = noiseState &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return (Double(noiseState >> 11) * 0x1.0p-53 - 0.5) * 40e-6
    }

    public func handle(_ line: String) -> [String] {
        let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
        switch parts.first?.uppercased() ?? "" {
        case "*IDN?": return ["Stanford_Research_Systems,SIM970,s/n023101,ver1.3"]
        case "VOLT?":
            guard parts.count == 2 else { return [] }
            let args = parts[1].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard let ch = args.first, (1...4).contains(ch) else { return [] }
            let n = max(1, min(args.count > 1 ? args[1] : 1, 100))
            return (0..<n).map { _ in String(format: "%+.6f", (circuits[ch]?.biasResistorVolts ?? 0) + noise()) }
        case "TERM":
            if parts.count == 2, let t = SIM928Emulator.terminator(named: parts[1]) { terminator = t }
            return []
        case "TERM?": return ["\(SIM928Emulator.code(of: terminator))"]
        default: return []
        }
    }
}
