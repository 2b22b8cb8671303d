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

    func system(_ words: [String], _ value: String?) -> String {
        switch words {
        case ["STATE"]:
            guard let value else { return running ? "1" : "0" }
            guard let on = Self.flag(value) else { return "?5" }
            start(on)
        case ["PERIOD"]:
            guard let value else { return Self.seconds(period) }
            guard let t = Self.time(value, 100e-9...5000, grid: 10_000) else { return "?5" }
            period = t
        case ["MODE"]:
            guard let value else { return systemMode }
            guard let m = Self.choice(value, Self.modes) else { return "?5" }
            systemMode = m
        case ["BCOUNTER"]:
            guard let value else { return "\(burstCount)" }
            guard let n = Int(value), (1...9_999_999).contains(n) else { return "?5" }
            burstCount = n
        case ["GATE", "MODE"]:
            guard let value else { return gateMode }
            guard let m = Self.choice(value, [("DIS", "DISABLED"), ("PULS", "PULSE"), ("OUTP", "OUTPUT"), ("CHAN", "CHANNEL")]) else {
                return "?5"
            }
            gateMode = m
        case ["GATE", "LOGIC"]:
            guard let value else { return gateLogic }
            guard let l = Self.choice(value, [("LOW", "LOW"), ("HIGH", "HIGH")]) else { return "?5" }
            gateLogic = l
        case ["GATE", "LEVEL"]:
            guard let value else { return String(format: "%.2f", gateLevel) }
            guard let v = Double(value), (0.2...15).contains(v) else { return "?5" }
            gateLevel = v
        case ["TRIGGER", "MODE"]:
            guard let value else { return triggerMode }
            guard let m = Self.choice(value, [("DIS", "DISABLED"), ("TRIG", "TRIGGERED")]) else { return "?5" }
            triggerMode = m
        case ["TRIGGER", "EDGE"]:
            guard let value else { return triggerEdge }
            guard let e = Self.choice(value, [("RIS", "RISING"), ("FALL", "FALLING")]) else { return "?5" }
            triggerEdge = e
        case ["TRIGGER", "LEVEL"]:
            guard let value else { return String(format: "%.2f", triggerLevel) }
            guard let v = Double(value), (0.2...15).contains(v) else { return "?5" }
            triggerLevel = v
        default: return "?3"
        }
        return "ok"
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
        var c = channels[i]
        switch words {
        case ["STATE"]:
            guard let value else { return c.enabled ? "1" : "0" }
            guard let on = Self.flag(value) else { return "?5" }
            c.enabled = on
        case ["WIDTH"]:
            guard let value else { return Self.seconds(c.width) }
            guard let t = Self.time(value, 2e-9...999.99999999975, grid: 250) else { return "?5" }
            c.width = t
        case ["DELAY"]:
            guard let value else { return Self.seconds(c.delay) }
            guard let t = Self.time(value, -999.99999999975...999.99999999975, grid: 250) else { return "?5" }
            c.delay = t
        case ["SYNC"]:
            guard let value else { return c.sync }
            let names = ["T0"] + (0..<channelCount).map { "CH" + String("ABCDEFGH".map { $0 }[$0]) }
            guard names.contains(value.uppercased()), value.uppercased() != names[i + 1] else { return "?5" }
            c.sync = value.uppercased()
        case ["POLARITY"]:
            guard let value else { return c.polarity }
            guard let p = Self.choice(value, [("NORM", "NORMAL"), ("COMP", "COMPLEMENT"), ("INV", "INVERTED")]) else { return "?5" }
            c.polarity = p
        case ["CMODE"]:
            guard let value else { return c.mode }
            guard let m = Self.choice(value, Self.modes) else { return "?5" }
            c.mode = m
        case ["OUTPUT", "MODE"]:
            guard let value else { return c.outputMode }
            guard let m = Self.choice(value, [("TTL", "TTL"), ("ADJ", "ADJUSTABLE")]) else { return "?5" }
            c.outputMode = m
        case ["OUTPUT", "AMPLITUDE"]:
            guard let value else { return String(format: "%.2f", c.amplitude) }
            guard let v = Double(value), (2...20).contains(v) else { return "?5" }
            c.amplitude = v
        default: return "?3"
        }
        channels[i] = c
        return "ok"
    }
}
