import Foundation

/// SRS SIM928 isolated voltage source, as its manual describes the command set: `VOLT <V>` (±20 V,
/// 1 mV steps), `VOLT?`, `OPON`, `OPOF`, `EXON?`, `TERM(?) {NONE 0, CR 1, LF 2, CRLF 3, LFCR 4}` (the
/// replies' terminator, CR LF at power-on), status queries `*ESR?` (sticky: bit 4 EXE, bit 5 CME, bit 7 PON;
/// cleared by reading, `*ESR? i` reads and clears bit i, `*CLS` clears), `CESR?` (serial-link errors only:
/// none here), `OVSR?`, `LEXE?`, `LCME?` (the last codes), `LDDE?`, and `*IDN?` (manual §2.4.8, §2.5.3,
/// §2.5.5). It drives the ``SNSPDCircuit``.
public final class SIM928Emulator: SIMModule {
    public let circuit: SNSPDCircuit
    public var serialNumber = "s/n017854"
    private var lastExecutionError = 0
    private var lastCommandError = 0
    /// The standard event status register; PON (128) from power-on until read.
    private var eventStatus = 128
    public private(set) var terminator = "\r\n"
    private static let terminators = ["NONE": "", "CR": "\r", "LF": "\n", "CRLF": "\r\n", "LFCR": "\n\r"]
    private static let terminatorOrder = ["NONE", "CR", "LF", "CRLF", "LFCR"]

    public init(circuit: SNSPDCircuit) { self.circuit = circuit }

    /// The reply terminator a `TERM` token names (a keyword or its number), as every SIM module reads it.
    static func terminator(named token: String) -> String? {
        let token = token.trimmingCharacters(in: .whitespaces).uppercased()
        return terminators[Int(token).flatMap { terminatorOrder.indices.contains($0) ? terminatorOrder[$0] : nil } ?? token]
    }

    /// `TERM?`'s answer for a terminator.
    static func code(of terminator: String) -> Int { terminatorOrder.firstIndex { terminators[$0] == terminator } ?? 3 }

    public func handle(_ line: String) -> [String] {
        let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
        let header = parts.first?.uppercased() ?? ""
        func commandError(_ code: Int) -> [String] { lastCommandError = code; eventStatus |= 32; return [] }
        switch header {
        case "*IDN?": return ["Stanford_Research_Systems,SIM928,\(serialNumber),ver2.2"]
        case "VOLT":
            guard parts.count == 2, let v = Double(parts[1]) else { return commandError(4) }
            guard abs(v) <= 20 else { lastExecutionError = 1; eventStatus |= 16; return [] }
            circuit.sourceVolts = (v * 1000).rounded() / 1000
            return []
        case "VOLT?": return [String(format: "%+.3f", circuit.sourceVolts)]
        case "OPON": circuit.outputOn = true; return []
        case "OPOF": circuit.outputOn = false; return []
        case "EXON?": return [circuit.outputOn ? "1" : "0"]
        case "TERM":
            guard parts.count == 2, let t = Self.terminator(named: parts[1]) else { return commandError(4) }
            terminator = t
            return []
        case "TERM?": return ["\(Self.code(of: terminator))"]
        case "*ESR?":
            if parts.count == 2 {
                guard let bit = Int(parts[1]), (0...7).contains(bit) else { return commandError(4) }
                defer { eventStatus &= ~(1 << bit) }
                return [eventStatus & (1 << bit) != 0 ? "1" : "0"]
            }
            defer { eventStatus = 0 }
            return ["\(eventStatus)"]
        case "*CLS": eventStatus = 0; return []
        case "CESR?", "OVSR?", "LDDE?": return ["0"]
        case "LEXE?": defer { lastExecutionError = 0 }; return ["\(lastExecutionError)"]
        case "LCME?": defer { lastCommandError = 0 }; return ["\(lastCommandError)"]
        default: return commandError(1)
        }
    }
}
