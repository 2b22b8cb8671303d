import Foundation
import IonLink

/// Windfreak SynthHD two-channel RF synthesiser, as its programming manual describes the USB CDC
/// interface (summarised in docs/wire-protocols.md, "Windfreak SynthHD"): commands carry no terminator
/// and may arrive back to
/// back (`C0f2500.00000000W-10.000h1`), so the byte stream is tokenised — a command letter, an optional
/// `?`, then a numeric argument up to the next letter. Query replies end in LF; sets get no reply; an
/// unknown command gets no reply at all. `C0|C1` channel, `f<MHz>`/`f?`, `W<dBm>`/`W?`, `h0|1` (output
/// amplifier), `E0|1` (PLL chip), `r0|1` (RF output), each with `?`; `p` PLL lock (0/1), `z`
/// temperature, `v0` firmware, `v1` hardware, `v2` variant, `+` model, `-` serial number, `~<deg>`/`~?`
/// phase (0…360).
/// Out-of-range frequencies and powers are ignored (the setting keeps its value).
public final class WindfreakSynthHDEmulator: InstrumentEmulator {
    struct Channel {
        var frequencyMHz = 1000.0
        var powerDBm = -10.0
        var amplifier = false
        var pll = false
        var rf = false
        var phaseDegrees = 0.0

        var emission: Emission {
            Emission(on: amplifier && pll && rf, frequencyMHz: frequencyMHz, powerDBm: powerDBm, phaseDegrees: phaseDegrees)
        }
    }

    /// What a channel puts out: RF (PLL, amplifier and output all on) at a frequency, power and phase.
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
    private var pending: [UInt8] = []

    public init(serialNumber: String = "1234") { self.serialNumber = serialNumber }

    public func receive(_ bytes: [UInt8]) -> [[UInt8]] {
        pending += bytes
        var replies: [[UInt8]] = []
        var i = 0
        let letters = Set("CfWhErpzv+-?~".utf8)
        let before = channels.map(\.emission)
        while i < pending.count {
            let c = pending[i]
            guard letters.contains(c) else { i += 1; continue }  // noise between commands is skipped
            var j = i + 1
            var isQuery = false
            if c == UInt8(ascii: "v"), j < pending.count, (UInt8(ascii: "0")...UInt8(ascii: "2")).contains(pending[j]) { j += 1 }
            if j < pending.count, pending[j] == UInt8(ascii: "?") { isQuery = true; j += 1 }
            let argStart = j
            while j < pending.count, "0123456789.-".utf8.contains(pending[j]) { j += 1 }
            let token = String(decoding: pending[i..<argStart], as: UTF8.self)
            let argument = String(decoding: pending[argStart..<j], as: UTF8.self)
            if let reply = execute(token, query: isQuery, argument: argument) { replies.append(Array((reply + "\n").utf8)) }
            i = j
        }
        pending.removeAll()
        for (k, emission) in channels.map(\.emission).enumerated() where emission != before[k] { emissionChanged?(k, emission) }
        return replies
    }

    private func execute(_ token: String, query: Bool, argument: String) -> String? {
        let letter = token.first!
        func flag(_ set: (Bool) -> Void) { if argument == "0" || argument == "1" { set(argument == "1") } }
        switch (letter, query) {
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
        case ("h", false): flag { channels[current].amplifier = $0 }; return nil
        case ("h", true): return channels[current].amplifier ? "1" : "0"
        case ("E", false): flag { channels[current].pll = $0 }; return nil
        case ("E", true): return channels[current].pll ? "1" : "0"
        case ("r", false): flag { channels[current].rf = $0 }; return nil
        case ("r", true): return channels[current].rf ? "1" : "0"
        case ("~", false):
            if let degrees = Double(argument), (0...360).contains(degrees) { channels[current].phaseDegrees = degrees }
            return nil
        case ("~", true): return String(format: "%.3f", channels[current].phaseDegrees)
        case ("p", _): return channels[current].pll ? "1" : "0"
        case ("z", _): return "31.25"
        case ("v", _):
            switch token {
            case "v0": return "Firmware Version 3.22"
            case "v1": return "Hardware Version 2.06"
            case "v2": return "HD"
            default: return nil
            }
        case ("+", _): return "WFT SynthHD 1.4"
        case ("-", _): return serialNumber
        default: return nil
        }
    }
}
