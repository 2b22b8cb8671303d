import Foundation
import IonLink

/// Toptica iBeam smart diode laser, as its manual describes the serial interface (115200 8N1, CR LF;
/// command set summarised in docs/wire-protocols.md, "Toptica iBeam smart"):
/// - it echoes commands and prints a `CMD> ` prompt until told `echo off` / `prom off`; clients also
///   send `talk usual`;
/// - every reply is framed `CR LF <body lines> CR LF [OK] CR LF` (the first line empty); an error is a
///   body line `%SYS-<F|E|W|I>-nnn …` still followed by `[OK]`;
/// - commands come abbreviated or in full: `ver`, `serial`, `sh pow`, `show level power`,
///   `ch <n> pow <x> [mic|micro]` (mW without a unit), `la on|off`, `sta la`, `en <n>`/`di <n>` (`di 0`: every
///   channel), `sta ch <n>`, `en ext`/`di ext`/`sta ext` (the external digital-modulation input), `sh cur`,
///   `sh temp [sys]` (`TEMP = x C` both), `sh sat` (`Pmax: x mW`), `sta up` (`PowerUp: h + s`, `LaserOn: …`),
///   `sh lim` (`LDC max: x mA`, the diode-current limit) and `sh data` (`Pmax: x mW` and each channel's level);
/// - an empty line is a command too (clients send one to synchronise): its reply is the empty frame.
/// Where the manual was not at hand, the replies follow what independent clients parse (pylablib, pymeasure,
/// microscope, Micro-Manager; docs/manual-facts.md).
/// Channel 2 carries the output power; the monitor photodiode (`PIC`) follows it while the laser is on.
public final class TopticaIBeamSmartEmulator: InstrumentEmulator, LightEmitting {
    public var maxPowerMW = 40.0
    public var serialNumber = "iBEAM-S-11223"
    /// The laser-diode current limit `show limit` reports, mA.
    public var currentLimitMA = 150.0
    private var splitter = CommandLineSplitter(keepsEmptyLines: true)
    private var externalModulation = false
    private var laserOnSince: Double?
    private var laserOnTotal = 0.0
    private let poweredUp: Double
    private var echo = true
    private var prompt = true
    private var laserOn = false
    private var channelPowerUW: [Int: Double] = [1: 0, 2: 0]
    private var channelEnabled: [Int: Bool] = [1: false, 2: true]
    /// The output power in µW, following `targetUW` (20 ms).
    private var output: FirstOrderResponse
    private let now: () -> Double

    public init(now: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.now = now
        poweredUp = now()
        output = FirstOrderResponse(timeConstant: 0.02, start: poweredUp)
    }

    /// What the output is driven to: the enabled channels' powers summed while the laser is on.
    private var targetUW: Double {
        var target = 0.0
        if laserOn { for (ch, p) in channelPowerUW where channelEnabled[ch] == true { target += p } }
        return target
    }

    private func advance() { output.advance(toward: targetUW, at: now()) }

    public var emissionChanged: ((Power) -> Void)?
    private var emissionReport = EmissionReport()
    public var emittedPower: Power { .milliwatts(targetUW / 1000) }

    public func receive(_ bytes: [UInt8]) -> [[UInt8]] {
        defer { emissionReport.report(emittedPower, to: emissionChanged) }
        return splitter.lines(from: bytes).map { line in
            var out = echo ? line : ""
            out += "\r\n" + respond(to: line).map { $0 + "\r\n" }.joined() + "[OK]\r\n"
            if prompt { out += "CMD> " }
            return Array(out.utf8)
        }
    }

    /// Each channel's power setpoint, as `show level power` lists them.
    private var levels: [String] {
        [1, 2].map { String(format: "CH%d, PWR: %.3f mW", $0, (channelPowerUW[$0] ?? 0) / 1000) }
    }

    /// The body lines of the reply to one command.
    func respond(to line: String) -> [String] {
        advance()
        let w = line.lowercased().split(separator: " ").map(String.init)
        func word(_ i: Int, _ short: String, _ long: String) -> Bool {
            i < w.count && long.hasPrefix(w[i]) && w[i].count >= short.count
        }
        func channel(_ i: Int) -> Int? { i < w.count ? Int(w[i]).flatMap { (1...2).contains($0) ? $0 : nil } : nil }
        let error = "%SYS-E-113 Unknown command or parameter"
        guard !w.isEmpty else { return [] }
        switch true {
        case word(0, "ec", "echo") && w.count == 2: echo = w[1] == "on"; return []
        case word(0, "pro", "prompt") && w.count == 2: prompt = w[1] == "on"; return []
        case word(0, "ta", "talk") && w.count == 2: return []
        case word(0, "ver", "version"): return ["iBEAM-SMART-488-S V2.05"]
        case word(0, "ser", "serial"): return ["SN: \(serialNumber)"]
        case word(0, "sh", "show") && word(1, "ser", "serial"): return ["SN: \(serialNumber)"]
        case word(0, "sh", "show") && word(1, "pow", "power"): return [String(format: "PIC  = %.0f uW  ", output.value)]
        case word(0, "sh", "show") && word(1, "lev", "level") && word(2, "pow", "power"): return levels
        case word(0, "sh", "show") && word(1, "lim", "limit"): return [String(format: "LDC max: %.1f mA", currentLimitMA)]
        case word(0, "sh", "show") && word(1, "dat", "data"): return [String(format: "  Pmax: %.0f mW", maxPowerMW)] + levels
        case word(0, "sh", "show") && word(1, "cur", "current"):
            return [String(format: "LDC = %.1f mA", laserOn ? 20 + output.value / 1000 * 1.5 : 0)]
        case word(0, "sh", "show") && word(1, "temp", "temperature"):
            return [w.count > 2 && word(2, "sys", "system") ? "TEMP = 31.2 C" : "TEMP = 25.0 C"]
        case word(0, "sh", "show") && word(1, "sat", "satellite"):
            return [String(format: "  Pmax: %.0f mW", maxPowerMW)]
        case word(0, "sta", "status") && word(1, "up", "uptime"):
            let on = laserOnTotal + (laserOnSince.map { now() - $0 } ?? 0)
            return [("PowerUp", now() - poweredUp), ("LaserOn", on)].map { name, t in
                "\(name): \(Int(t) / 3600) h + \(Int(t) % 3600) s"
            }
        case word(0, "ch", "channel") && word(2, "pow", "power"):
            guard let ch = channel(1), w.count >= 4, let x = Double(w[3]) else { return [error] }
            // No unit: mW; `mic`/`micro`: µW.
            let unit = w.count > 4 ? w[4] : ""
            guard ["", "mic", "micro"].contains(unit) else { return [error] }
            let uw = unit.isEmpty ? x * 1000 : x
            guard uw >= 0, uw <= maxPowerMW * 1000 else { return ["%SYS-W-127 Power out of range"] }
            channelPowerUW[ch] = uw
            return []
        case word(0, "la", "laser") && w.count == 2 && ["on", "off"].contains(w[1]):
            let on = w[1] == "on"
            if on && !laserOn { laserOnSince = now() }
            if !on, let since = laserOnSince { laserOnTotal += now() - since; laserOnSince = nil }
            laserOn = on
            return []
        case word(0, "sta", "status") && word(1, "la", "laser"): return [laserOn ? "ON" : "OFF"]
        case word(0, "sta", "status") && word(1, "ch", "channel"):
            guard let ch = channel(2) else { return [error] }
            return [channelEnabled[ch] == true ? "ON" : "OFF"]
        case word(0, "sta", "status") && word(1, "ext", "external"): return [externalModulation ? "ON" : "OFF"]
        case (word(0, "en", "enable") || word(0, "di", "disable")) && word(1, "ext", "external"):
            externalModulation = word(0, "en", "enable")
            return []
        case word(0, "en", "enable"):
            guard let ch = channel(1) else { return [error] }
            channelEnabled[ch] = true
            return []
        case word(0, "di", "disable"):
            if w.count == 2 && w[1] == "0" {
                for ch in channelEnabled.keys { channelEnabled[ch] = false }
                return []
            }
            guard let ch = channel(1) else { return [error] }
            channelEnabled[ch] = false
            return []
        default: return [error]
        }
    }
}
