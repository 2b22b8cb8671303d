import Foundation
import IonLink
import Synchronization

/// Rigol DSG800-series RF signal generator, as its programming guide describes the SCPI command set
/// (USBTMC, vendor 0x1AB1; summarised in docs/wire-protocols.md, "Rigol DSG800"): `*IDN?` (contains
/// `RIGOL`),
/// `[:SOURce]:FREQuency <value>[unit]` (Hz, kHz, MHz, GHz) / `?` (Hz), `[:SOURce]:LEVel <dBm>` and its
/// alias `[:SOURce]:POWer` / `?`, `:OUTPut[:STATe] ON|OFF|1|0`, `:OUTPut?` → `1`/`0`, `:SYSTem:ERRor?`.
/// Range of the DSG830: 9 kHz – 3 GHz, −110 … +20 dBm; out-of-range values are refused with `-222`.
public final class RigolDSG800Emulator: SCPIMessageHandler {
    struct State {
        var hertz = 1e9
        var dBm = -110.0
        var output = false
        var errors = SCPIErrorQueue()
    }
    private let state = Mutex(State())
    public let serialNumber: String

    public init(serialNumber: String = "DSG8A160200045") { self.serialNumber = serialNumber }

    private static let idn = SCPIHeader("*IDN?"), freq = SCPIHeader("[:SOURce]:FREQuency[:CW]"), freqQ = SCPIHeader("[:SOURce]:FREQuency[:CW]?")
    private static let lev = SCPIHeader("[:SOURce]:LEVel[:IMMediate][:AMPLitude]"), levQ = SCPIHeader("[:SOURce]:LEVel[:IMMediate][:AMPLitude]?")
    private static let pow = SCPIHeader("[:SOURce]:POWer"), powQ = SCPIHeader("[:SOURce]:POWer?")
    private static let outp = SCPIHeader(":OUTPut[:STATe]"), outpQ = SCPIHeader(":OUTPut[:STATe]?")
    private static let err = SCPIHeader(":SYSTem:ERRor[:NEXT]?"), cls = SCPIHeader("*CLS"), rst = SCPIHeader("*RST")

    public func handle(_ message: String) -> String? {
        let replies = message.split(separator: ";").compactMap { execute(String($0).trimmingCharacters(in: .whitespacesAndNewlines)) }
        return replies.isEmpty ? nil : replies.joined(separator: ";") + "\n"
    }

    /// `1.5GHz`, `100 MHz`, `2.5e6` → hertz.
    static func hertz(_ text: String) -> Double? {
        let t = text.replacingOccurrences(of: " ", with: "").uppercased()
        for (unit, scale) in [("GHZ", 1e9), ("MHZ", 1e6), ("KHZ", 1e3), ("HZ", 1.0)] where t.hasSuffix(unit) {
            return Double(t.dropLast(unit.count)).map { $0 * scale }
        }
        return Double(t)
    }

    private func execute(_ command: String) -> String? {
        guard !command.isEmpty else { return nil }
        let header = String(command.prefix { $0 != " " })
        let argument = command.dropFirst(header.count).trimmingCharacters(in: .whitespaces)
        return state.withLock { s -> String? in
            switch header {
            case _ where Self.idn.matches(header): return "Rigol Technologies,DSG830,\(serialNumber),00.01.07"
            case _ where Self.cls.matches(header): s.errors = SCPIErrorQueue(); return nil
            case _ where Self.rst.matches(header): s = State(); return nil
            case _ where Self.freq.matches(header):
                if let hz = s.errors.setpoint(Self.hertz(argument), in: 9e3...3e9) { s.hertz = hz }
                return nil
            case _ where Self.freqQ.matches(header): return String(format: "%.6f", s.hertz)
            case _ where Self.lev.matches(header), _ where Self.pow.matches(header):
                if let v = s.errors.setpoint(Double(argument.uppercased().replacingOccurrences(of: "DBM", with: "")), in: -110...20) { s.dBm = v }
                return nil
            case _ where Self.levQ.matches(header), _ where Self.powQ.matches(header): return String(format: "%.2f", s.dBm)
            case _ where Self.outp.matches(header):
                if let on = s.errors.boolean(argument) { s.output = on }
                return nil
            case _ where Self.outpQ.matches(header): return s.output ? "1" : "0"
            case _ where Self.err.matches(header): return s.errors.next()
            default:
                s.errors.append(SCPIErrorQueue.undefinedHeader)
                return nil
            }
        }
    }
}
