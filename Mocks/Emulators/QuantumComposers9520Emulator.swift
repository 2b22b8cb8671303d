import Foundation
import IonLink

/// Quantum Composers 9520-series pulse generator (a 9524, four channels, by default), as its manual
/// describes the serial interface (summarised in docs/wire-protocols.md, "Quantum Composers 9520"):
/// - every command line ends in CR LF and gets exactly one reply line: a query its value, a set `ok`,
///   a refusal `?n` (1 no `:`/`*` prefix, 2 missing keyword, 3 invalid keyword, 4 missing parameter,
///   5 invalid parameter, 6 query only, 7 no query form, 8 not available now);
/// - keywords in their long or short form only (`:PULSE0:PERIOD` or `:PULS0:PER`), case-insensitive;
///   `:PULSE0:` is the system timer (T0), `:PULSE1:` … the channels A…;
/// - times in seconds (widths and delays on a 250 ps grid), replied with 9 decimals; booleans `1`/`0`,
///   enumerations in their short form.
///
/// Starting the system timer (`:PULSE0:STATE 1`) in burst mode fires `BCOUNTER` periods and stops
/// (this emulator's reading of "burst"); it counts what it fires for tests, and tells ``bursts`` (an
/// emulated lab's world). The external gate (`:PULSE0:GATE:MODE DIS|PULS|OUTP|CHAN`, `:GATE:LOGIC
/// LOW|HIGH`, `:GATE:LEVEL`) is where a herald-stop unit is wired: any mode but `DIS` lets it end a burst.
public final class QuantumComposers9520Emulator: InstrumentEmulator {
    public let model: String, serialNumber: String, firmware: String
    public let channelCount: Int

    public struct ChannelState: Sendable, Hashable {
        public var enabled = false
        public var width: Int64 = 10_000   // ps
        public var delay: Int64 = 0
        public var sync = "T0", polarity = "NORM", mode = "NORM", outputMode = "TTL"
        public var amplitude = 4.0
    }

    public private(set) var running = false
    public private(set) var period: Int64 = 1_000_000   // 1 µs in ps
    public private(set) var systemMode = "NORM", triggerMode = "DIS", triggerEdge = "RIS"
    public private(set) var triggerLevel = 2.5
    public private(set) var burstCount = 1
    public private(set) var gateMode = "DIS", gateLogic = "HIGH"
    public private(set) var gateLevel = 2.5
    public private(set) var channels: [ChannelState]
    /// Told of each burst fired.
    public weak var bursts: (any BurstSink)?
    /// Bursts started, and the system periods they fired.
    public private(set) var starts = 0, periodsFired: Int64 = 0
    private var splitter = CommandLineSplitter()

    public init(model: String = "9524", channels: Int = 4, serialNumber: String = "02311", firmware: String = "1.2.2-1.2.0") {
        self.model = model
        channelCount = channels
        self.serialNumber = serialNumber
        self.firmware = firmware
        self.channels = Array(repeating: ChannelState(), count: channels)
    }

    public func receive(_ bytes: [UInt8]) -> [[UInt8]] {
        splitter.lines(from: bytes).map { Array((respond(to: $0) + "\r\n").utf8) }
    }

    /// Keywords as (short, long): either form, nothing in between.
    static let keywords: [(String, String)] = [
        ("PULS", "PULSE"), ("STAT", "STATE"), ("PER", "PERIOD"), ("MOD", "MODE"), ("BCO", "BCOUNTER"), ("TRIG", "TRIGGER"),
        ("EDG", "EDGE"), ("LEV", "LEVEL"), ("WIDT", "WIDTH"), ("DEL", "DELAY"), ("SYNC", "SYNC"), ("POL", "POLARITY"),
        ("CMOD", "CMODE"), ("OUTP", "OUTPUT"), ("AMPL", "AMPLITUDE"), ("INST", "INSTRUMENT"), ("CAT", "CATALOG"),
        ("GAT", "GATE"), ("LOG", "LOGIC"),
    ]

    /// The long form of keyword `k`, or nil if it is neither form of a known one.
    static func canonical(_ k: String) -> String? {
        let u = k.uppercased()
        return keywords.first { $0.0 == u || $0.1 == u }?.1
    }

    /// One command line in, its one reply line out.
    func respond(to raw: String) -> String {
        let line = raw.trimmingCharacters(in: .whitespaces)
        if line.uppercased() == "*IDN?" { return "QC,\(model),\(serialNumber),\(firmware)" }
        if line.uppercased() == "*RST" { reset(); return "ok" }
        guard line.hasPrefix(":") else { return line.hasPrefix("*") ? "?3" : "?1" }
        let head = line.prefix { $0 != " " }
        let parameter = line.dropFirst(head.count).trimmingCharacters(in: .whitespaces)
        var path = head.dropFirst().split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, !path.contains(where: \.isEmpty) else { return "?2" }
        let isQuery = path[path.count - 1].hasSuffix("?")
        if isQuery { path[path.count - 1].removeLast() }
        // A timer number follows PULSE/PULS directly (`:PULSE2:`).
        var timer: Int?
        if let digits = path[0].firstIndex(where: \.isNumber), Self.canonical(String(path[0][..<digits])) == "PULSE" {
            guard let n = Int(path[0][digits...]), (0...channelCount).contains(n) else { return "?3" }
            timer = n
            path[0] = "PULSE"
        }
        var words: [String] = []
        for p in path {
            guard let w = Self.canonical(p) else { return "?3" }
            words.append(w)
        }
        if isQuery && !parameter.isEmpty { return "?5" }
        if !isQuery && parameter.isEmpty && words != ["INSTRUMENT", "CATALOG"] { return "?4" }
        switch (words.first, timer) {
        case ("INSTRUMENT", _) where words == ["INSTRUMENT", "CATALOG"]:
            return isQuery ? (["T0"] + (0..<channelCount).map { "CH" + String("ABCDEFGH".map { $0 }[$0]) }).joined(separator: ", ") : "?6"
        case ("PULSE", 0?): return system(Array(words.dropFirst()), isQuery ? nil : parameter)
        case ("PULSE", let n?): return channel(n - 1, Array(words.dropFirst()), isQuery ? nil : parameter)
        default: return "?3"
        }
    }

    func reset() {
        running = false
        (period, systemMode, triggerMode, triggerEdge, triggerLevel, burstCount) = (1_000_000, "NORM", "DIS", "RIS", 2.5, 1)
        (gateMode, gateLogic, gateLevel) = ("DIS", "HIGH", 2.5)
        channels = Array(repeating: ChannelState(), count: channelCount)
    }

    /// Seconds with 9 decimals, as the unit prints times.
    static func seconds(_ ps: Int64) -> String {
        let ns = (ps.magnitude + 500) / 1000, fraction = String(ns % 1_000_000_000)
        return (ps < 0 ? "-" : "") + "\(ns / 1_000_000_000)." + String(repeating: "0", count: 9 - fraction.count) + fraction
    }

    /// A time parameter in `range` seconds, on `grid` picoseconds; nil if it is not one.
    static func time(_ text: String?, _ range: ClosedRange<Double>, grid: Int64) -> Int64? {
        guard let text, let v = Double(text), v.isFinite, range.contains(v) else { return nil }
        return Int64((v * 1e12 / Double(grid)).rounded()) * grid
    }

    static func flag(_ text: String?) -> Bool? {
        switch text?.uppercased() {
        case "1", "ON": true
        case "0", "OFF": false
        default: nil
        }
    }

    /// An enumerated value given in its long or short form, returned short.
    static func choice(_ text: String?, _ options: [(String, String)]) -> String? {
        guard let u = text?.uppercased() else { return nil }
        return options.first { $0.0 == u || $0.1 == u }?.0
    }

    static let modes = [("NORM", "NORMAL"), ("SING", "SINGLE"), ("BURS", "BURST"), ("DCYC", "DCYCLE")]

    /// A setting's query or set: queried (`value` nil), its value as `shown`; set, `ok` if `parse` takes
    /// `value`, else `?5` and the setting unchanged.
    static func access<T>(_ setting: inout T, _ value: String?, shown: (T) -> String, parse: (String) -> T?) -> String {
        guard let value else { return shown(setting) }
        guard let v = parse(value) else { return "?5" }
        setting = v
        return "ok"
    }

    /// An enumerated setting, given in its long or short form, shown short.
    static func access(_ setting: inout String, _ value: String?, choices: [(String, String)]) -> String {
        access(&setting, value, shown: { $0 }, parse: { choice($0, choices) })
    }

    /// A level in volts (0.2 … 15 V), shown with two decimals.
    static func access(level setting: inout Double, _ value: String?) -> String {
        access(&setting, value, shown: { String(format: "%.2f", $0) }, parse: { Double($0).flatMap { (0.2...15).contains($0) ? $0 : nil } })
    }

    func system(_ words: [String], _ value: String?) -> String {
        switch words {
        case ["STATE"]:
            guard let value else { return running ? "1" : "0" }
            guard let on = Self.flag(value) else { return "?5" }
            start(on)
            return "ok"
        case ["PERIOD"]: return Self.access(&period, value, shown: Self.seconds, parse: { Self.time($0, 100e-9...5000, grid: 10_000) })
        case ["MODE"]: return Self.access(&systemMode, value, choices: Self.modes)
        case ["BCOUNTER"]:
            return Self.access(&burstCount, value, shown: { "\($0)" }, parse: { Int($0).flatMap { (1...9_999_999).contains($0) ? $0 : nil } })
        case ["GATE", "MODE"]:
            return Self.access(&gateMode, value, choices: [("DIS", "DISABLED"), ("PULS", "PULSE"), ("OUTP", "OUTPUT"), ("CHAN", "CHANNEL")])
        case ["GATE", "LOGIC"]: return Self.access(&gateLogic, value, choices: [("LOW", "LOW"), ("HIGH", "HIGH")])
        case ["GATE", "LEVEL"]: return Self.access(level: &gateLevel, value)
        case ["TRIGGER", "MODE"]: return Self.access(&triggerMode, value, choices: [("DIS", "DISABLED"), ("TRIG", "TRIGGERED")])
        case ["TRIGGER", "EDGE"]: return Self.access(&triggerEdge, value, choices: [("RIS", "RISING"), ("FALL", "FALLING")])
        case ["TRIGGER", "LEVEL"]: return Self.access(level: &triggerLevel, value)
        default: return "?3"
        }
    }

    /// `:PULSE0:STATE 1`: a burst fires its periods and stops; normal mode runs until stopped.
    func start(_ on: Bool) {
        guard on else { running = false; return }
        starts += 1
        switch systemMode {
        case "BURS":
            periodsFired += Int64(burstCount)
            bursts?.fired(FiredBurst(count: Int64(burstCount), periodPicoseconds: period, inhibitEnabled: gateMode != "DIS"))
        case "SING": periodsFired += 1
        default: running = true
        }
    }

    func channel(_ i: Int, _ words: [String], _ value: String?) -> String {
        let names = ["T0"] + (0..<channelCount).map { "CH" + String("ABCDEFGH".map { $0 }[$0]) }
        let width = 2e-9...999.99999999975, delay = -999.99999999975...999.99999999975
        switch words {
        case ["STATE"]: return Self.access(&channels[i].enabled, value, shown: { $0 ? "1" : "0" }, parse: Self.flag)
        case ["WIDTH"]: return Self.access(&channels[i].width, value, shown: Self.seconds, parse: { Self.time($0, width, grid: 250) })
        case ["DELAY"]: return Self.access(&channels[i].delay, value, shown: Self.seconds, parse: { Self.time($0, delay, grid: 250) })
        case ["SYNC"]:
            return Self.access(&channels[i].sync, value, shown: { $0 }) {
                names.contains($0.uppercased()) && $0.uppercased() != names[i + 1] ? $0.uppercased() : nil
            }
        case ["POLARITY"]:
            return Self.access(&channels[i].polarity, value, choices: [("NORM", "NORMAL"), ("COMP", "COMPLEMENT"), ("INV", "INVERTED")])
        case ["CMODE"]: return Self.access(&channels[i].mode, value, choices: Self.modes)
        case ["OUTPUT", "MODE"]: return Self.access(&channels[i].outputMode, value, choices: [("TTL", "TTL"), ("ADJ", "ADJUSTABLE")])
        case ["OUTPUT", "AMPLITUDE"]:
            return Self.access(&channels[i].amplitude, value, shown: { String(format: "%.2f", $0) }) {
                Double($0).flatMap { (2...20).contains($0) ? $0 : nil }
            }
        default: return "?3"
        }
    }
}
