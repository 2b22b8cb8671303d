import Foundation
import IonLink

/// SRS DG645 digital delay generator, as its manual describes the remote interface (summarised in
/// docs/wire-protocols.md, "SRS DG645"):
/// - commands end in LF (CR LF is accepted), replies in CR LF; a mnemonic is four letters or `*` and three,
///   `?` makes it a query, parameters follow (a space before them is optional) separated by commas;
/// - set commands are silent; an error is queued and read one code at a time with `LERR?` (0: none);
/// - delay channels T0=0, T1=1, A=2 … H=9, each linked to a reference (`DLAY c,d,t`, `DLAY?c` → `d,+t`
///   with 12 decimals), 5 ps resolution, 0…2000 s absolute; outputs T0=0, AB=1, CD=2, EF=3, GH=4;
/// - trigger source `TSRC` 0…6 (5 single shot, fired by `*TRG`; `*TRG` otherwise is error 11), burst
///   mode `BURM`, `BURC`, `BURP` (100 ns…2000 s, 10 ns grid), `BURD`, `BURT`; `INHB` 0…5; `INSR?` status.
///
/// It counts what it fires (``triggers``, ``cyclesFired``) so tests can see bursts happen, and tells
/// ``bursts`` (an emulated lab's world) of each burst. The inhibit input (`INHB` other than 0) is where a
/// herald-stop unit is wired: enabled, it may end a burst early.
public final class SRSDG645Emulator: InstrumentEmulator {
    public let serialNumber: String
    public let firmware: String
    /// Each delay channel's reference and delay from it, in picoseconds.
    public private(set) var delays: [(reference: Int, picoseconds: Int64)] = []
    public private(set) var amplitude: [Double] = [], offset: [Double] = [], polarity: [Int] = []
    public private(set) var triggerSource = 5, triggerRate = 1000.0, triggerLevel = 1.0, inhibit = 1
    public private(set) var burstMode = 0, burstCount: Int64 = 5, burstPeriod: Int64 = 100_000_000, burstDelay: Int64 = 0, burstT0 = 0
    /// Triggers accepted, and delay cycles they fired (a burst fires `BURC` cycles).
    public private(set) var triggers = 0, cyclesFired: Int64 = 0
    /// Told of each burst fired.
    public weak var bursts: (any BurstSink)?
    private var errors: [Int] = []
    var esr = 0, insr = 0
    /// Holdoff, prescalers, display, step sizes, status enables (SRSDG645Settings.swift).
    var settings = SRSDG645Settings()
    /// `*SAV` locations 1…9.
    var saved: [Int: Snapshot] = [:]
    private var splitter = CommandLineSplitter()

    static let maxDelay: Int64 = 2_000_000_000_000_000   // 2000 s in ps
    static let queueDepth = 20

    public init(serialNumber: String = "008011", firmware: String = "1.19.118") {
        self.serialNumber = serialNumber
        self.firmware = firmware
        reset()
    }

    /// Factory settings (`*RST`): A, C, E, G at T0; B, D, F, H 10 ns after them; single-shot trigger.
    func reset() {
        delays = (0...9).map { (c: Int) -> (reference: Int, picoseconds: Int64) in
            c >= 2 && c % 2 == 1 ? (reference: c - 1, picoseconds: 10_000) : (reference: 0, picoseconds: 0)
        }
        amplitude = Array(repeating: 2.5, count: 5)
        offset = Array(repeating: 0, count: 5)
        polarity = Array(repeating: 1, count: 5)
        (triggerSource, triggerRate, triggerLevel, inhibit) = (5, 1000, 1.0, 1)
        (burstMode, burstCount, burstPeriod, burstDelay, burstT0) = (0, 5, 100_000_000, 0, 0)
        keepingStatusEnables(SRSDG645Settings())
    }

    /// Takes `new` settings but keeps the status enables (`*ESE`, `*SRE`, `INSE`): neither `*RST` nor `*RCL` sets them.
    private func keepingStatusEnables(_ new: SRSDG645Settings) {
        let old = settings
        settings = new
        (settings.eventEnable, settings.serviceEnable, settings.statusEnable) = (old.eventEnable, old.serviceEnable, old.statusEnable)
    }

    /// What `*SAV` stores and `*RCL` brings back: every setting but the status registers.
    struct Snapshot {
        var delays: [(reference: Int, picoseconds: Int64)], amplitude: [Double], offset: [Double], polarity: [Int]
        var trigger: (source: Int, rate: Double, level: Double, inhibit: Int)
        var burst: (mode: Int, count: Int64, period: Int64, delay: Int64, t0: Int)
        var settings: SRSDG645Settings
    }

    func snapshot() -> Snapshot {
        Snapshot(delays: delays, amplitude: amplitude, offset: offset, polarity: polarity,
                 trigger: (triggerSource, triggerRate, triggerLevel, inhibit),
                 burst: (burstMode, burstCount, burstPeriod, burstDelay, burstT0), settings: settings)
    }

    func restore(_ s: Snapshot) {
        (delays, amplitude, offset, polarity) = (s.delays, s.amplitude, s.offset, s.polarity)
        (triggerSource, triggerRate, triggerLevel, inhibit) = s.trigger
        (burstMode, burstCount, burstPeriod, burstDelay, burstT0) = s.burst
        keepingStatusEnables(s.settings)
    }

    /// Absolute delay of channel `c` from T0, in picoseconds.
    public func absolute(_ c: Int) -> Int64 {
        var t: Int64 = 0, c = c, hops = 0
        while c >= 2, hops < 10 {
            t += delays[c].picoseconds
            c = delays[c].reference
            hops += 1
        }
        return t
    }

    /// Output `o`'s (1…4) pulse: its start after T0 and its width, in picoseconds.
    public func pulse(output o: Int) -> (start: Int64, width: Int64) {
        let a = absolute(2 * o), b = absolute(2 * o + 1)
        return (a, b - a)
    }

    public func receive(_ bytes: [UInt8]) -> [[UInt8]] {
        splitter.lines(from: bytes).map { line in respond(to: line).map { Array(($0 + "\r\n").utf8) } ?? [] }
    }

    func fail(_ code: Int) -> String? {
        if errors.count < Self.queueDepth { errors.append(code) } else if errors.last != 254 { errors[errors.count - 1] = 254 }
        if code >= 110 { esr |= 1 << 5 } else { esr |= 1 << 4 }
        return nil
    }

    /// One command line in; its reply (nil for a set command, or any refused command).
    func respond(to raw: String) -> String? {
        let line = raw.trimmingCharacters(in: .whitespaces)
        // Four letters, or `*` and three.
        guard line.count >= 4, line.prefix(4).dropFirst(line.hasPrefix("*") ? 1 : 0).allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return fail(110)
        }
        let mnemonic = line.prefix(4).uppercased()
        var rest = line.dropFirst(4)
        let isQuery = rest.first == "?"
        if isQuery { rest = rest.dropFirst() }
        let text = rest.trimmingCharacters(in: .whitespaces)
        let params = text.isEmpty ? [] : text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return isQuery ? query(mnemonic, params) : set(mnemonic, params)
    }

    func int(_ s: String) -> Int? { Int(s) }
    func double(_ s: String) -> Double? { Double(s).flatMap { $0.isFinite ? $0 : nil } }
    static func seconds(_ ps: Int64) -> String {
        let m = ps.magnitude, fraction = String(m % 1_000_000_000_000)
        return (ps < 0 ? "-" : "+") + "\(m / 1_000_000_000_000)." + String(repeating: "0", count: 12 - fraction.count) + fraction
    }

    /// `count` parameters, or the error for too few (116) or too many (115).
    func arity(_ p: [String], _ count: Int) -> Bool {
        if p.count == count { return true }
        _ = fail(p.count < count ? 116 : 115)
        return false
    }

    /// No parameters (a query's usual form), or error 115.
    func none(_ p: [String]) -> Bool { arity(p, 0) }

    /// A query's one index parameter in `range`: a missing or extra one, a non-integer (120) or one outside (10) is refused.
    func one(_ p: [String], _ range: ClosedRange<Int>) -> Int? {
        guard arity(p, 1) else { return nil }
        return integer(p[0], range)
    }

    func integer(_ s: String, _ range: ClosedRange<Int>) -> Int? {
        guard let i = int(s) else { _ = fail(120); return nil }
        guard range.contains(i) else { _ = fail(10); return nil }
        return i
    }

    func real(_ s: String, _ range: ClosedRange<Double>) -> Double? {
        guard let v = double(s) else { _ = fail(118); return nil }
        guard range.contains(v) else { _ = fail(10); return nil }
        return v
    }

    func query(_ m: String, _ p: [String]) -> String? {
        switch m {
        case "*IDN": return none(p) ? "Stanford Research Systems,DG645,s/n\(serialNumber),ver\(firmware)" : nil
        case "*ESR": defer { esr = 0 }; return none(p) ? "\(esr)" : nil
        case "*OPC": return none(p) ? "1" : nil
        case "LERR": return none(p) ? "\(errors.isEmpty ? 0 : errors.removeFirst())" : nil
        case "INSR": defer { insr = 0 }; return none(p) ? "\(insr)" : nil
        case "DLAY": return one(p, 0...9).map { "\(delays[$0].reference),\(Self.seconds(delays[$0].picoseconds))" }
        case "LINK": return one(p, 0...9).map { "\(delays[$0].reference)" }
        case "LAMP": return one(p, 0...4).map { String(format: "%.2f", amplitude[$0]) }
        case "LOFF": return one(p, 0...4).map { String(format: "%.2f", offset[$0]) }
        case "LPOL": return one(p, 0...4).map { "\(polarity[$0])" }
        case "TSRC": return none(p) ? "\(triggerSource)" : nil
        case "TRAT": return none(p) ? String(format: "%+.6f", triggerRate) : nil
        case "TLVL": return none(p) ? String(format: "%.2f", triggerLevel) : nil
        case "INHB": return none(p) ? "\(inhibit)" : nil
        case "BURM": return none(p) ? "\(burstMode)" : nil
        case "BURC": return none(p) ? "\(burstCount)" : nil
        case "BURP": return none(p) ? Self.seconds(burstPeriod) : nil
        case "BURD": return none(p) ? Self.seconds(burstDelay) : nil
        case "BURT": return none(p) ? "\(burstT0)" : nil
        case "*CLS", "*RST", "*TRG": return fail(112)
        default: return auxiliaryQuery(m, p) ?? fail(111)
        }
    }

    func set(_ m: String, _ p: [String]) -> String? {
        switch m {
        case "*CLS": if arity(p, 0) { errors = []; esr = 0; insr = 0 }
        case "*RST": if arity(p, 0) { reset() }
        case "*OPC": if arity(p, 0) { esr |= 1 }
        case "*TRG": if arity(p, 0) { fire() }
        case "DLAY":
            // Any number parses; where it puts a channel is checked by the link (illegal delay).
            guard arity(p, 3), let c = integer(p[0], 0...9), let d = integer(p[1], 0...9), let t = real(p[2], -1e6...1e6) else { return nil }
            link(c, to: d, picoseconds: Int64((t * 1e12 / 5).rounded()) * 5)
        case "LINK":
            guard arity(p, 2), let c = integer(p[0], 0...9), let d = integer(p[1], 0...9) else { return nil }
            link(c, to: d, picoseconds: delays[c].picoseconds)
        case "LAMP": if arity(p, 2), let b = integer(p[0], 0...4), let v = real(p[1], 0.5...5.0) { amplitude[b] = v }
        case "LOFF": if arity(p, 2), let b = integer(p[0], 0...4), let v = real(p[1], -2.0...2.0) { offset[b] = v }
        case "LPOL": if arity(p, 2), let b = integer(p[0], 0...4), let v = integer(p[1], 0...1) { polarity[b] = v }
        case "TSRC": if arity(p, 1), let v = integer(p[0], 0...6) { triggerSource = v }
        case "TRAT": if arity(p, 1), let v = real(p[0], 100e-6...10e6) { triggerRate = v }
        case "TLVL": if arity(p, 1), let v = real(p[0], -3.5...3.5) { triggerLevel = v }
        case "INHB": if arity(p, 1), let v = integer(p[0], 0...5) { inhibit = v }
        case "BURM": if arity(p, 1), let v = integer(p[0], 0...1) { burstMode = v }
        case "BURC":
            guard arity(p, 1) else { return nil }
            guard let v = Int64(p[0]) else { return fail(120) }
            guard (1...Int64(UInt32.max)).contains(v) else { return fail(10) }
            burstCount = v
        case "BURP":
            if arity(p, 1), let v = real(p[0], 100e-9...2000) { burstPeriod = Int64((v * 1e12 / 10_000).rounded()) * 10_000 }
        case "BURD": if arity(p, 1), let v = real(p[0], 0...2000) { burstDelay = Int64((v * 1e12 / 5).rounded()) * 5 }
        case "BURT": if arity(p, 1), let v = integer(p[0], 0...1) { burstT0 = v }
        case "*IDN", "LERR", "INSR", "*ESR": return fail(113)
        default: if !auxiliarySet(m, p) { return fail(111) }
        }
        return nil
    }

    /// Links channel `c` to `d` with a delay: T0 and T1 cannot be set (10), a reference loop is an
    /// illegal link (13), and any channel ending outside 0…2000 s an illegal delay (12); refused, nothing changes.
    func link(_ c: Int, to d: Int, picoseconds: Int64) {
        guard c >= 2 else { _ = fail(10); return }
        var r = d, hops = 0
        while r >= 2, hops < 10 {
            if r == c { _ = fail(13); return }
            r = delays[r].reference
            hops += 1
        }
        if r == c { _ = fail(13); return }
        let before = delays[c]
        delays[c] = (d, picoseconds)
        guard (0...9).allSatisfy({ (0...Self.maxDelay).contains(absolute($0)) }) else {
            delays[c] = before
            _ = fail(12)
            return
        }
    }

    /// `*TRG`: fires one delay cycle (or a burst of `BURC`) from single-shot; otherwise an illegal mode.
    func fire() {
        guard triggerSource == 5 else { _ = fail(11); return }
        triggers += 1
        cyclesFired += burstMode == 1 ? burstCount : 1
        if burstMode == 1 { bursts?.fired(FiredBurst(count: burstCount, periodPicoseconds: burstPeriod, inhibitEnabled: inhibit != 0)) }
        insr |= 0b101 | (burstMode == 1 ? 0b1000 : 0)
    }
}
