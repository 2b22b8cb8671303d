import Foundation
import IonLink

/// Cobolt (HÜBNER Photonics) 06-01 / 08-01 series laser, as its manual describes the serial interface
/// (115200 8N1; commands end CR or CR LF; every command gets exactly one reply line ended CR LF; a set
/// command replies `OK`; errors begin `Syntax error`; command set summarised in docs/wire-protocols.md,
/// "Cobolt 06-01 / 08-01"):
/// `l1`/`l0`, `@cob1`/`@cob0`, `l?`, `p <W>`, `p?`, `pa?`, `cp`/`ci`/`em`, `gam?` (0 current, 1 power,
/// 2 modulation), `slc <mA>`, `glc?` (the current setpoint), `i?`/`rlc?` (the measured current),
/// `f?` (0 none, 1 temperature, 3 interlock, 4 constant-power timeout), `cf`, `ilk?` (0 = closed),
/// `gom?` (0 off … 6 aborted), `sn?`/`gsn?`, `glm?` (model number, `0488-06-01-0100-100`), `gcn?`, `gfv?`,
/// `gmlp?` (mW), `hrs?`, `rbpt?`/`rtect?` (base-plate and TEC temperatures, °C), `?`, `@cobas 0|1`, `@cobas?`,
/// `@cobasks?` (key switch), `@cobasp <W>`, and the modulation settings `sdmes`/`sames`/`salis 0|1` with
/// `gdmes?`/`games?`/`galis?` (digital and analog modulation enabled; analog input 1 = 50 Ω, 0 = 1 kΩ).
public final class Cobolt0601Emulator: InstrumentEmulator, LightEmitting {
    public struct Model: Sendable {
        public var maxPowerMW: Double
        public var serialNumber: String
        public var firmware: String
        /// What `glm?` answers: wavelength (nm) - series - power (mW) - …, as Cobolt's own clients parse it.
        public var modelNumber: String
        /// What `gcn?` answers.
        public var name: String
        public init(maxPowerMW: Double = 100, serialNumber: String = "21837", firmware: String = "9.001",
                    modelNumber: String = "0488-06-01-0100-100", name: String = "06-MLD 488nm") {
            self.maxPowerMW = maxPowerMW
            self.serialNumber = serialNumber
            self.firmware = firmware
            self.modelNumber = modelNumber
            self.name = name
        }
    }

    public let model: Model
    private var splitter = CommandLineSplitter()
    private var on = false
    private var autostart = false
    private var mode = "cp"
    private var setpointW = 0.0
    private var currentMA = 0.0
    /// `sdmes`, `sames`, `salis`: digital and analog modulation enabled, analog input at 50 Ω.
    private var digitalModulation = false
    private var analogModulation = false
    private var analogLowImpedance = false
    /// The output power in watts, following `targetW` (20 ms).
    private var output: FirstOrderResponse
    private var fault = 0
    private let now: () -> Double
    /// Interlock loop; opening it while on raises fault 3 and switches the laser off.
    public var interlockClosed = true {
        didSet { if !interlockClosed && on { on = false; fault = 3 } }
    }

    public init(model: Model = Model(), now: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.model = model
        self.now = now
        output = FirstOrderResponse(timeConstant: 0.02, start: now())
    }

    private var emitting: Bool { on && fault == 0 && interlockClosed }

    /// What the output is driven to: the power setpoint, or in constant-current mode the diode's output.
    private var targetW: Double { emitting ? (mode == "ci" ? min(model.maxPowerMW / 1000, currentMA / 1000 * 0.5) : setpointW) : 0 }

    private func advance() { output.advance(toward: targetW, at: now()) }

    public func receive(_ bytes: [UInt8]) -> [[UInt8]] {
        defer { emissionReport.report(emittedPower, to: emissionChanged) }
        return splitter.lines(from: bytes).map { Array((respond(to: $0) + "\r\n").utf8) }
    }

    public var emissionChanged: ((Power) -> Void)?
    private var emissionReport = EmissionReport()
    public var emittedPower: Power { .watts(targetW) }

    /// One command in, one reply line out (without its terminator).
    func respond(to line: String) -> String {
        advance()
        let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
        let command = parts.first?.lowercased() ?? ""
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : nil
        func flag(_ set: (Bool) -> Void) -> String {
            guard let a = argument, a == "0" || a == "1" else { return "Syntax error: illegal argument" }
            set(a == "1")
            return "OK"
        }
        func value(_ range: ClosedRange<Double>, _ set: (Double) -> Void) -> String {
            guard let a = argument, let v = Double(a) else { return "Syntax error: illegal argument" }
            guard range.contains(v) else { return "Syntax error: Value is out of range." }
            set(v)
            return "OK"
        }
        switch command {
        case "?": return "OK"
        case "l1", "@cob1":
            if command == "@cob1" { autostart = true }
            if !interlockClosed { fault = 3; return "OK" }
            on = fault == 0
            return "OK"
        case "l0", "@cob0": on = false; return "OK"
        case "l?": return emitting ? "1" : "0"
        case "p": return value(0...(model.maxPowerMW / 1000)) { setpointW = $0 }
        case "@cobasp": return value(0...(model.maxPowerMW / 1000)) { setpointW = $0 }
        case "p?": return String(format: "%.4f", setpointW)
        case "pa?": return String(format: "%.4f", output.value)
        case "cp", "ci", "em": mode = command; return "OK"
        case "slc": return value(0...3000) { currentMA = $0 }
        case "gam?": return ["ci": "0", "cp": "1", "em": "2"][mode] ?? "1"
        case "glc?": return String(format: "%.1f", currentMA)
        case "i?", "rlc?":
            return String(format: "%.1f", emitting ? (mode == "ci" ? currentMA : 200 * output.value / max(1e-9, model.maxPowerMW / 1000) + 100) : 0)
        case "f?": return "\(fault)"
        case "cf": fault = 0; return "OK"
        case "ilk?": return interlockClosed ? "0" : "1"
        case "gom?":
            if fault != 0 { return "5" }
            return on ? (mode == "em" ? "4" : "2") : "0"
        case "sn?", "gsn?": return model.serialNumber
        case "glm?": return model.modelNumber
        case "gcn?": return model.name
        case "rbpt?": return "25.3"
        case "rtect?": return "25.0"
        case "gfv?": return model.firmware
        case "gmlp?": return String(format: "%.1f", model.maxPowerMW)
        case "hrs?": return "1234.56"
        case "@cobas": return flag { autostart = $0 }
        case "@cobas?": return autostart ? "1" : "0"
        case "@cobasks?": return "1"
        case "sdmes": return flag { digitalModulation = $0 }
        case "sames": return flag { analogModulation = $0 }
        case "salis": return flag { analogLowImpedance = $0 }
        case "gdmes?": return digitalModulation ? "1" : "0"
        case "games?": return analogModulation ? "1" : "0"
        case "galis?": return analogLowImpedance ? "1" : "0"
        default: return "Syntax error: illegal command"
        }
    }
}
