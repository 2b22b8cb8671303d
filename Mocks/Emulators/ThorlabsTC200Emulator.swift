import Foundation
import IonLink

/// Thorlabs TC200 heater controller, as its user guide's remote-command section describes the serial interface
/// (115200 8N1 over an FTDI virtual COM port; commands lower case, ended CR; docs/wire-protocols.md, "Thorlabs
/// TC200", where what this emulator chose for what the guide leaves open is written down). The guide's PDF was not
/// to hand: the command set follows its §6.3 as public client libraries quote and exercise it (QMI, InstrumentKit
/// and two labs' drivers agree on every byte used here), not IonLink's driver.
///
/// Every command is echoed with CR; a reply body follows with CR; then the prompt `> `. `stat?` answers its status
/// byte in hexadecimal followed by ` > ` with no CR. An unknown command or empty line answers
/// `Command error CMD_NOT_DEFINED`, a value out of range `Command error CMD_ARG_RANGE_ERR` (each then LF CR and the
/// prompt), and the state is unchanged; `mode=normal` answers the range error although it is applied, as the
/// firmware does. `ens` toggles the heater, which will not switch on while the sensor alarm is set. The load follows
/// the setpoint with a first-order response while the heater is on and relaxes to the ambient temperature when off.
///
/// Commands: `id?`, `*idn?`, `tset=`/`tset?` (20 °C to `tmax`), `tact?`, `tmax=`/`tmax?` (20–205 °C),
/// `pmax=`/`pmax?` (0.1–18 W), `pgain=` (1–250), `igain=`/`dgain=` (0–250), `pid?`, `ens`, `stat?`,
/// `mode=normal|cycle`, `sns=ptc100|ptc1000|th10k|ntc10k`/`sns?`, `beta=`/`beta?` (2000–6000), `unit=c|f|k`,
/// `tune`/`tune?`, `config?`.
public final class ThorlabsTC200Emulator: InstrumentEmulator {
    private var splitter = CommandLineSplitter(keepsEmptyLines: true)
    private let now: () -> Double
    private let ambient: Double
    private var load: FirstOrderResponse
    private var setpoint = 20.0
    private var tmax = 200.0
    private var pmax = 15.0
    private var gains = (p: 250, i: 0, d: 0)
    private var enabled = false
    private var cycleMode = false
    private var sensor = "NTC10K"
    private var beta = 5600
    private var unit = "C"
    private var tuned = false
    /// The sensor open or shorted: status bit 6, and the heater will not switch on.
    public var sensorAlarm = false { didSet { if sensorAlarm { advance(); enabled = false } } }

    /// - Parameters:
    ///   - timeConstant: the oven's thermal time constant, seconds (a real waveguide oven takes tens of seconds to
    ///     minutes; the emulator's default half second keeps a run that waits for it short).
    ///   - ambient: the room's temperature, °C, where the load starts and relaxes to.
    public init(timeConstant: Double = 0.5, ambient: Double = 24, now: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.now = now
        self.ambient = ambient
        load = FirstOrderResponse(timeConstant: timeConstant, start: now(), initial: ambient)
    }

    /// The load's temperature now, °C.
    public var temperature: Double {
        advance()
        return load.value
    }

    private func advance() { load.advance(toward: enabled ? setpoint : ambient, at: now()) }

    public func receive(_ bytes: [UInt8]) -> [[UInt8]] {
        splitter.lines(from: bytes).map { Array(respond(to: $0).utf8) }
    }

    static let notDefined = "Command error CMD_NOT_DEFINED\n\r> "
    static let outOfRange = "Command error CMD_ARG_RANGE_ERR\n\r> "

    /// The bytes one command line gets back, echo and prompt included.
    func respond(to line: String) -> String {
        advance()
        let echo = line + "\r"
        let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
        let key = parts.first ?? ""
        let argument = parts.count > 1 ? parts[1] : nil
        func body(_ text: String) -> String { echo + text + "\r> " }
        func set(_ range: ClosedRange<Double>, _ apply: (Double) -> Void) -> String {
            guard let a = argument, let v = Double(a), v.isFinite else { return echo + Self.notDefined }
            guard range.contains(v) else { return echo + Self.outOfRange }
            apply(v)
            return echo + "> "
        }
        switch (key, argument) {
        case ("id?", nil), ("*idn?", nil): return body("THORLABS TC200 VERSION 2.0")
        case ("tset", _): return set(20...tmax) { setpoint = ($0 * 10).rounded() / 10 }
        case ("tset?", nil): return body(String(format: "%.1f Celsius", setpoint))
        case ("tact?", nil): return body(String(format: "%.1f C", load.value))
        case ("tmax", _): return set(20...205) { tmax = $0; setpoint = min(setpoint, $0) }
        case ("tmax?", nil): return body(String(format: "%.1f", tmax))
        case ("pmax", _): return set(0.1...18) { pmax = $0 }
        case ("pmax?", nil): return body(String(format: "%.1f", pmax))
        case ("pgain", _): return set(1...250) { gains.p = Int($0) }
        case ("igain", _): return set(0...250) { gains.i = Int($0) }
        case ("dgain", _): return set(0...250) { gains.d = Int($0) }
        case ("pid?", nil): return body("\(gains.p) \(gains.i) \(gains.d)")
        case ("ens", nil):
            if !enabled && sensorAlarm { return echo + "> " }
            enabled.toggle()
            tuned = false
            return echo + "> "
        case ("stat?", nil): return echo + String(status, radix: 16) + " > "
        case ("mode", "normal"): cycleMode = false; return echo + Self.outOfRange
        case ("mode", "cycle"): cycleMode = true; return echo + "> "
        case ("sns", let a?) where ["ptc100", "ptc1000", "th10k", "ntc10k"].contains(a):
            sensor = a == "th10k" ? "NTC10K" : a.uppercased()
            return echo + "> "
        case ("sns?", nil): return body(sensor.hasPrefix("NTC") ? "Sensor = \(sensor), Beta = \(beta)" : "Sensor = \(sensor)")
        case ("beta", _): return set(2000...6000) { beta = Int($0) }
        case ("beta?", nil): return body("\(beta)")
        case ("unit", let a?) where ["c", "f", "k"].contains(a): unit = a.uppercased(); return echo + "> "
        case ("tune", nil):
            guard enabled else { return echo + Self.outOfRange }
            tuned.toggle()
            return echo + "> "
        case ("tune?", nil): return body(tuned ? String(format: "%.1f", load.value - setpoint) : "0")
        case ("config?", nil):
            return echo + ["Set Temp = \(String(format: "%.1f", setpoint))", "Max Temp = \(String(format: "%.1f", tmax))",
                           "Max Power = \(String(format: "%.1f", pmax))", "Sensor = \(sensor)"].joined(separator: "\r") + "\r> "
        default: return echo + Self.notDefined
        }
    }

    /// Bit 0 heater on, 1 cycle mode, 2–3 sensor (0 TH10K, 1 PTC100, 2 PTC1000), 4–5 unit (0 K, 1 °C, 2 °F), 6 sensor alarm.
    var status: UInt8 {
        var s: UInt8 = enabled ? 0x01 : 0
        if cycleMode { s |= 0x02 }
        s |= (["PTC100": 1, "PTC1000": 2][sensor] ?? 0) << 2
        s |= (["K": 0, "C": 1, "F": 2][unit] ?? 1) << 4
        if sensorAlarm { s |= 0x40 }
        return s
    }
}
