import Foundation
import IonLink

/// Windfreak SynthHD two-channel RF synthesiser, as its serial programming API describes the USB CDC
/// interface (summarised in docs/wire-protocols.md, "Windfreak SynthHD"): commands carry no terminator and
/// may arrive back to back (`C0f2500.00000000W-10.000h1`), so the byte stream is tokenised — a command
/// character, an optional `?`, then a numeric argument up to the next command character, for known and
/// unknown commands alike (an unknown one is consumed with its argument and gets no reply). Query replies
/// end in LF; sets get no reply. `C0|C1` channel, `f<MHz>`/`f?`, `W<dBm>`/`W?`, `~<deg>`/`~?` phase
/// (0…360), `h0|1` (output enable), `E0|1` (PLL chip), `r0|1` (power amplifier), each with `?`; `p` PLL
/// lock (0/1), `z` temperature, `V` calibrated (1), `v0` firmware, `v1` hardware, `v2` variant, `+` model,
/// `-` serial number, `e` save, `G` one pulse train, `@<row>a<dBm>`/`@<row>a?` the AM table; the
/// reference, trigger, sweep, AM, pulse and FM settings (``WindfreakSynthHDRegister``), each with its `?`.
/// Out-of-range values are ignored (the setting keeps its value). An argument cut off at the end of one
/// write and continued at the start of the next is joined to its command (the setting is made again with
/// the whole number).
public final class WindfreakSynthHDEmulator: InstrumentEmulator {
    struct Channel {
        var frequencyMHz = 1000.0
        var powerDBm = -10.0
        /// `h`: the RF output enabled.
        var outputEnabled = false
        /// `E`: the PLL chip powered.
        var pll = false
        /// `r`: the power amplifier powered.
        var amplifierPowered = false
        var phaseDegrees = 0.0

        var emission: Emission {
            Emission(on: outputEnabled && pll && amplifierPowered, frequencyMHz: frequencyMHz, powerDBm: powerDBm, phaseDegrees: phaseDegrees)
        }
    }

    /// What a channel puts out: RF (PLL, power amplifier and output all on) at a frequency, power and phase.
    public struct Emission: Sendable, Hashable {
        public var on: Bool
        public var frequencyMHz: Double
        public var powerDBm: Double
        public var phaseDegrees: Double
    }

    /// Called with a channel (0 = A) and its new emission after commands change it (an emulated lab's
    /// world lets a qubit drive act on its ion).
    public var emissionChanged: ((Int, Emission) -> Void)?
    /// Each channel's emission now.
    public var emissions: [Emission] { channels.map(\.emission) }

    public let serialNumber: String
    private var channels = [Channel(), Channel()]
    private var current = 0
    /// Register values: per channel (index 0, 1) and for the instrument (index 2), by command character.
    private var registers: [[UInt8: Double]] = [[:], [:], [:]]
    private var amTable: [Int: Double] = [:]
    /// The last set, when its argument ran to the end of a write (it may continue in the next one).
    private var openSet: (command: UInt8, argument: String)?

    public init(serialNumber: String = "1234") { self.serialNumber = serialNumber }

    private static let argumentBytes = Set("0123456789.-".utf8)
    /// Queries that take no `?`.
    private static let bareQueries = Set("pzV+-".utf8)

    public func receive(_ bytes: [UInt8]) -> [[UInt8]] {
        let before = channels.map(\.emission)
        var replies: [[UInt8]] = []
        var i = 0
        // The rest of an argument cut off by the end of the previous write.
        if let open = openSet, let first = bytes.first, first != UInt8(ascii: "-"), Self.argumentBytes.contains(first) {
            var j = 0
            while j < bytes.count, Self.argumentBytes.contains(bytes[j]) { j += 1 }
            let argument = open.argument + String(decoding: bytes[..<j], as: UTF8.self)
            _ = execute(open.command, query: false, argument: argument)
            openSet = j == bytes.count ? (open.command, argument) : nil
            i = j
        } else {
            openSet = nil
        }
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x0A || c == 0x0D || c == 0x20 { i += 1; continue }
            var j = i + 1
            if c == UInt8(ascii: "v"), j < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "2")).contains(bytes[j]) {
                if let reply = version(bytes[j]) { replies.append(Array((reply + "\n").utf8)) }
                i = j + 1
                continue
            }
            if c == UInt8(ascii: "@") {
                i = amRow(bytes, from: j, &replies)
                continue
            }
            var isQuery = false
            if j < bytes.count, bytes[j] == UInt8(ascii: "?") { isQuery = true; j += 1 }
            let argStart = j
            if !isQuery && !Self.bareQueries.contains(c) {
                while j < bytes.count, Self.argumentBytes.contains(bytes[j]) { j += 1 }
            }
            let argument = String(decoding: bytes[argStart..<j], as: UTF8.self)
            if let reply = execute(c, query: isQuery || Self.bareQueries.contains(c), argument: argument) {
                replies.append(Array((reply + "\n").utf8))
            }
            openSet = !isQuery && j == bytes.count && !argument.isEmpty ? (c, argument) : nil
            i = j
        }
        for (k, emission) in channels.map(\.emission).enumerated() where emission != before[k] { emissionChanged?(k, emission) }
        return replies
    }

    private func version(_ digit: UInt8) -> String? {
        switch digit {
        case UInt8(ascii: "0"): "Firmware Version 3.22"
        case UInt8(ascii: "1"): "Hardware Version 2.06"
        default: "HD"
        }
    }

    /// `@<row>a<dBm>` programs a row of the AM table, `@<row>a?` reads it; returns where parsing stopped.
    private func amRow(_ bytes: [UInt8], from start: Int, _ replies: inout [[UInt8]]) -> Int {
        var j = start
        while j < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[j]) { j += 1 }
        let row = Int(String(decoding: bytes[start..<j], as: UTF8.self))
        guard j < bytes.count, bytes[j] == UInt8(ascii: "a") else { return j }
        j += 1
        if j < bytes.count, bytes[j] == UInt8(ascii: "?") {
            if let row { replies.append(Array((String(format: "%.3f", amTable[row] ?? 0) + "\n").utf8)) }
            return j + 1
        }
        let argStart = j
        while j < bytes.count, Self.argumentBytes.contains(bytes[j]) { j += 1 }
        if let row, (0...99).contains(row), let dbm = Double(String(decoding: bytes[argStart..<j], as: UTF8.self)), (-60...20).contains(dbm) {
            amTable[row] = dbm
        }
        return j
    }

    private func execute(_ command: UInt8, query: Bool, argument: String) -> String? {
        func flag(_ set: (Bool) -> Void) { if argument == "0" || argument == "1" { set(argument == "1") } }
        switch (Character(Unicode.Scalar(command)), query) {
        case ("C", false): if argument == "0" || argument == "1" { current = Int(argument)! }; return nil
        case ("C", true): return "\(current)"
        case ("f", false):
            if let mhz = Double(argument), (10...15_000).contains(mhz) { channels[current].frequencyMHz = mhz }
            return nil
        case ("f", true): return String(format: "%.8f", channels[current].frequencyMHz)
        case ("W", false):
            if let dbm = Double(argument), (-70...20).contains(dbm) { channels[current].powerDBm = dbm }
            return nil
        case ("W", true): return String(format: "%.3f", channels[current].powerDBm)
        case ("~", false):
            if let degrees = Double(argument), (0...360).contains(degrees) { channels[current].phaseDegrees = degrees }
            return nil
        case ("~", true): return String(format: "%.3f", channels[current].phaseDegrees)
        case ("h", false): flag { channels[current].outputEnabled = $0 }; return nil
        case ("h", true): return channels[current].outputEnabled ? "1" : "0"
        case ("E", false): flag { channels[current].pll = $0 }; return nil
        case ("E", true): return channels[current].pll ? "1" : "0"
        case ("r", false): flag { channels[current].amplifierPowered = $0 }; return nil
        case ("r", true): return channels[current].amplifierPowered ? "1" : "0"
        case ("p", _): return channels[current].pll ? "1" : "0"
        case ("z", _): return "31.25"
        case ("V", _): return "1"
        case ("+", _): return "WFT SynthHD 1.4"
        case ("-", _): return serialNumber
        case ("e", _), ("G", _): return nil
        default:
            guard let register = WindfreakSynthHDRegister.table[command] else { return nil }
            let bank = register.perChannel ? current : 2
            if query { return String(format: register.format, registers[bank][command] ?? register.defaultValue) }
            if let value = Double(argument), register.range.contains(value) { registers[bank][command] = value }
            return nil
        }
    }
}
