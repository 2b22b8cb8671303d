import Foundation
import IonLink
import Synchronization

/// Thorlabs ITC4001 laser-diode and TEC controller, as its SCPI programmer's reference describes it
/// (USBTMC, 0x1313:0x804A; summarised in docs/wire-protocols.md, "Thorlabs ITC4001"): `*IDN?`, `*RST`,
/// `*CLS`, `*OPC?`,
/// `OUTPut[:STATe] 0|1|ON|OFF` / `?`, `SOURce:FUNCtion:MODE CURRent|POWer`, `SOURce:CURRent <A>` / `?`
/// (also `? MAX`), `SOURce:CURRent:LIMit <A>` / `?`, `SOURce:POWer <W>` / `?`, `MEASure:CURRent?`,
/// `MEASure:VOLTage?`, `MEASure:TEMPerature?`, `MEASure:POWer2?` (monitor photodiode), TEC `OUTPut2`,
/// `SOURce2:TEMPerature <T>[C]` / `?`, `SYSTem:ERRor?` → `0,"No error"` or e.g. `-113,"Undefined header"`.
/// Commands may be joined with `;`. The diode: threshold 30 mA, slope 0.8 W/A, 1.8 V + 5 Ω·I;
/// the current limit caps the current; the TEC settles the temperature at once.
public final class ThorlabsITC4001Emulator: SCPIMessageHandler {
    struct State {
        var output = false
        var tec = false
        var powerMode = false
        var currentA = 0.0
        var powerW = 0.0
        var limitA = 0.1
        var tecSetC = 25.0
        var errors = SCPIErrorQueue()
    }
    private let state = Mutex(State())
    public let serialNumber: String
    public static let thresholdA = 0.030, slopeWPerA = 0.8, maxCurrentA = 0.4

    public init(serialNumber: String = "M00412345") { self.serialNumber = serialNumber }

    private static func h(_ p: String) -> SCPIHeader { SCPIHeader(p) }
    private static let idn = h("*IDN?"), rst = h("*RST"), cls = h("*CLS"), opc = h("*OPC?")
    private static let outp = h("OUTPut[:STATe]"), outpQ = h("OUTPut[:STATe]?")
    private static let outp2 = h("OUTPut2[:STATe]"), outp2Q = h("OUTPut2[:STATe]?")
    private static let mode = h("[SOURce]:FUNCtion[:SHAPe]:MODE"), modeQ = h("[SOURce]:FUNCtion[:SHAPe]:MODE?")
    private static let curr = h("[SOURce]:CURRent[:LEVel][:IMMediate][:AMPLitude]"), currQ = h("[SOURce]:CURRent[:LEVel][:IMMediate][:AMPLitude]?")
    private static let lim = h("[SOURce]:CURRent:LIMit[:AMPLitude]"), limQ = h("[SOURce]:CURRent:LIMit[:AMPLitude]?")
    private static let pow = h("[SOURce]:POWer[:LEVel][:IMMediate][:AMPLitude]"), powQ = h("[SOURce]:POWer[:LEVel][:IMMediate][:AMPLitude]?")
    private static let measCurr = h("MEASure[:SCALar]:CURRent[:DC]?"), measVolt = h("MEASure[:SCALar]:VOLTage[:DC]?")
    private static let measTemp = h("MEASure[:SCALar]:TEMPerature?"), measPow2 = h("MEASure[:SCALar]:POWer2?")
    private static let temp2 = h("SOURce2:TEMPerature[:SPOint]"), temp2Q = h("SOURce2:TEMPerature[:SPOint]?")
    private static let err = h("SYSTem:ERRor[:NEXT]?")

    public func handle(_ message: String) -> String? {
        let replies = message.split(separator: ";").compactMap { execute(String($0).trimmingCharacters(in: .whitespacesAndNewlines)) }
        return replies.isEmpty ? nil : replies.joined(separator: ";") + "\n"
    }

    private func execute(_ command: String) -> String? {
        guard !command.isEmpty else { return nil }
        let header = String(command.prefix { $0 != " " })
        let argument = command.dropFirst(header.count).trimmingCharacters(in: .whitespaces)
        return state.withLock { s -> String? in
            func number(_ text: String, unit: String) -> Double? {
                var t = text.uppercased()
                if t.hasSuffix(unit) { t.removeLast(unit.count) }
                return Double(t)
            }
            func flag(_ set: (inout State, Bool) -> Void) -> String? {
                if let on = s.errors.boolean(argument) { set(&s, on) }
                return nil
            }
            func setpoint(_ v: Double?, in range: ClosedRange<Double>, _ set: (inout State, Double) -> Void) -> String? {
                if let v = s.errors.setpoint(v, in: range) { set(&s, v) }
                return nil
            }
            let current = s.output ? min(s.limitA, s.powerMode ? Self.thresholdA + s.powerW / Self.slopeWPerA : s.currentA) : 0
            let optical = max(0, current - Self.thresholdA) * Self.slopeWPerA
            switch header {
            case _ where Self.idn.matches(header): return "Thorlabs,ITC4001,\(serialNumber),1.8.0"
            case _ where Self.rst.matches(header): s = State(); return nil
            case _ where Self.cls.matches(header): s.errors = SCPIErrorQueue(); return nil
            case _ where Self.opc.matches(header): return "1"
            case _ where Self.outp.matches(header): return flag { $0.output = $1 }
            case _ where Self.outpQ.matches(header): return s.output ? "1" : "0"
            case _ where Self.outp2.matches(header): return flag { $0.tec = $1 }
            case _ where Self.outp2Q.matches(header): return s.tec ? "1" : "0"
            case _ where Self.mode.matches(header):
                switch argument.uppercased() {
                case "CURR", "CURRENT": s.powerMode = false
                case "POW", "POWER": s.powerMode = true
                default: s.errors.append(SCPIErrorQueue.illegalParameterValue)
                }
                return nil
            case _ where Self.modeQ.matches(header): return s.powerMode ? "POW" : "CURR"
            case _ where Self.curr.matches(header): return setpoint(number(argument, unit: "A"), in: 0...Self.maxCurrentA) { $0.currentA = $1 }
            case _ where Self.currQ.matches(header):
                return argument.uppercased() == "MAX" ? String(format: "%.6E", Self.maxCurrentA) : String(format: "%.6E", s.currentA)
            case _ where Self.lim.matches(header): return setpoint(number(argument, unit: "A"), in: 0...Self.maxCurrentA) { $0.limitA = $1 }
            case _ where Self.limQ.matches(header): return String(format: "%.6E", s.limitA)
            case _ where Self.pow.matches(header): return setpoint(number(argument, unit: "W"), in: 0...0.3) { $0.powerW = $1 }
            case _ where Self.powQ.matches(header): return String(format: "%.6E", s.powerW)
            case _ where Self.measCurr.matches(header): return String(format: "%.6E", current)
            case _ where Self.measVolt.matches(header): return String(format: "%.6E", s.output ? 1.8 + 5 * current : 0)
            case _ where Self.measPow2.matches(header): return String(format: "%.6E", optical)
            case _ where Self.measTemp.matches(header): return String(format: "%.6E", s.tec ? s.tecSetC : 24.0)
            case _ where Self.temp2.matches(header): return setpoint(number(argument, unit: "C"), in: 5...45) { $0.tecSetC = $1 }
            case _ where Self.temp2Q.matches(header): return String(format: "%.6E", s.tecSetC)
            case _ where Self.err.matches(header): return s.errors.next()
            default:
                s.errors.append(SCPIErrorQueue.undefinedHeader)
                return nil
            }
        }
    }
}
