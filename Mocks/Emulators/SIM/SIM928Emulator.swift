import Foundation

/// SRS SIM928 isolated voltage source, as its manual describes the command set: `VOLT <V>` (±20 V,
/// 1 mV steps), `VOLT?`, `OPON`, `OPOF`, `EXON?`, status queries `*ESR?`, `CESR?`, `OVSR?`, `LEXE?`,
/// `LCME?`, `LDDE?`, and `*IDN?`. It drives the ``SNSPDCircuit``.
public final class SIM928Emulator: SIMModule {
    public let circuit: SNSPDCircuit
    public var serialNumber = "s/n017854"
    private var lastExecutionError = 0
    private var lastCommandError = 0

    public init(circuit: SNSPDCircuit) { self.circuit = circuit }

    public func handle(_ line: String) -> [String] {
        let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
        let header = parts.first?.uppercased() ?? ""
        switch header {
        case "*IDN?": return ["Stanford_Research_Systems,SIM928,\(serialNumber),ver2.2"]
        case "VOLT":
            guard parts.count == 2, let v = Double(parts[1]) else { lastCommandError = 4; return [] }
            guard abs(v) <= 20 else { lastExecutionError = 1; return [] }
            circuit.sourceVolts = (v * 1000).rounded() / 1000
            return []
        case "VOLT?": return [String(format: "%+.3f", circuit.sourceVolts)]
        case "OPON": circuit.outputOn = true; return []
        case "OPOF": circuit.outputOn = false; return []
        case "EXON?": return [circuit.outputOn ? "1" : "0"]
        case "*ESR?", "OVSR?", "LDDE?": return ["0"]
        case "CESR?": return [String((lastCommandError != 0 ? 32 : 0) | (lastExecutionError != 0 ? 16 : 0))]
        case "LEXE?": defer { lastExecutionError = 0 }; return ["\(lastExecutionError)"]
        case "LCME?": defer { lastCommandError = 0 }; return ["\(lastCommandError)"]
        default: lastCommandError = 1; return []
        }
    }
}
