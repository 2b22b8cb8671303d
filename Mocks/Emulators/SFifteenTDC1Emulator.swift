import Foundation
import IonLink

/// S-Fifteen Instruments TDC1 time-interval analyser / time tagger, as its manual describes the USB
/// serial interface (summarised in docs/wire-protocols.md, "S-Fifteen TDC1"): text commands ended by
/// CR LF or `;` and chainable
/// (`singles;counts?`); `*IDN?`, `time <ms>`/`time?`, `mode?` (0 singles, 1 pairs, 3 timestamp),
/// `singles`, `pairs`, `timestamp`, `NIM`/`TTL`, `level?`, `NEG|POS <V>`, `REFCLK <0|1|2>`/`REFCLK?` (auto,
/// external, internal; one line), `ECLOCK?`,
/// `counts?`, `abort`, `help`. In singles mode `counts?` answers one line of four counts over the
/// acquisition time; in timestamp mode it streams 32-bit little-endian words for that time: bits 31–5
/// the time in 2 ns units (wrapping every 2²⁷·2 ns ≈ 268 ms), bit 4 a marker (not an event), bits 3–0
/// the inputs that fired (bit 0 = input 1; several bits = a coincidence). `time 0` is no time limit: in
/// timestamp mode `counts?` then streams words as the clock runs (``streamed()``) until `abort`; in the
/// counting modes it counts for no time (four zeros).
///
/// Events are Poisson: singles at ``rates`` per input and coincidences of inputs 1 and 2 at
/// ``coincidenceRate``, from a seeded generator, so a test knows what to expect — or, when ``source`` is
/// set (an emulated lab's world), what its inputs see there.
public final class SFifteenTDC1Emulator: StreamingEmulator {
    public var rates: [Double] = [2_000, 1_500, 0, 0]
    public var coincidenceRate = 500.0
    /// Makes the events instead of the random singles when set.
    public var source: (any TimestampSource)?
    private var rng: SeededGenerator
    private var buffer: [UInt8] = []
    private var mode = 0
    private var acquisitionMS = 100
    private var clockNS: UInt64 = 0
    private var level = "NIM"
    /// `REFCLK n`: 0 automatic, 1 external, 2 internal (pyS15, the vendor's client).
    private var referenceClock = 0
    private let now: () -> Double
    /// While `time 0` streams timestamps: the clock reading (s) up to which events have been sent.
    private var streamedUntil: Double?

    public init(seed: UInt64 = 15, now: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        rng = SeededGenerator(seed: seed)
        self.now = now
    }

    public var isStreaming: Bool { streamedUntil != nil }

    /// The words of the events since the last call while `time 0` streams, in time order.
    public func streamed() -> [UInt8] {
        guard let since = streamedUntil else { return [] }
        let t = now()
        let ns = UInt64(max(0, (t - since) * 1e9))
        streamedUntil = since + Double(ns) / 1e9
        return words(acquire(ns: ns), marker: false)
    }

    public func receive(_ bytes: [UInt8]) -> [[UInt8]] {
        buffer += bytes
        var out: [[UInt8]] = []
        while let end = buffer.firstIndex(where: { $0 == 0x0D || $0 == 0x0A || $0 == UInt8(ascii: ";") }) {
            let command = String(decoding: buffer[..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            buffer.removeFirst(end + 1)
            if command.isEmpty { continue }
            if let reply = execute(command) { out.append(reply) }
        }
        return out
    }

    private func line(_ s: String) -> [UInt8] { Array((s + "\r\n").utf8) }

    private func execute(_ command: String) -> [UInt8]? {
        let w = command.split(separator: " ").map(String.init)
        switch w[0].uppercased() {
        case "*IDN?": return line("S-Fifteen Instruments,TDC1,TDC1-0021,1.2")
        case "TIME":
            // 0: no time limit (a timestamp stream runs until `abort`).
            guard w.count == 2, let ms = Int(w[1]), (0...65_535).contains(ms) else { return line("Invalid argument") }
            acquisitionMS = ms
            return nil
        case "TIME?": return line("\(acquisitionMS)")
        case "MODE?": return line("\(mode)")
        case "SINGLES": mode = 0; return nil
        case "PAIRS": mode = 1; return nil
        case "TIMESTAMP":
            // A fresh timestamp run: events from before it are not in the tagger's buffer.
            mode = 3
            source?.discard()
            return nil
        case "NIM", "TTL": level = w[0].uppercased(); return nil
        case "LEVEL?": return line(level)
        case "REFCLK":
            guard w.count == 2, let mode = Int(w[1]), (0...2).contains(mode) else { return line("Invalid argument") }
            referenceClock = mode
            return nil
        case "REFCLK?": return line("\(referenceClock)")
        case "ABORT": streamedUntil = nil; return nil
        case "NEG", "POS", "INPKT": return nil
        case "ECLOCK?": return line("0")
        case "HELP": return line("*IDN? TIME MODE? SINGLES PAIRS TIMESTAMP NIM TTL LEVEL? NEG POS REFCLK REFCLK? ECLOCK? COUNTS? ABORT HELP")
        case "COUNTS?":
            if mode == 3 && acquisitionMS == 0 {
                streamedUntil = now()
                return words([])
            }
            let events = acquire(ns: UInt64(acquisitionMS) * 1_000_000)
            if mode == 3 { return words(events) }
            var counts = [0, 0, 0, 0]
            var pairs = 0
            for e in events {
                for bit in 0..<4 where e.pattern & (1 << bit) != 0 { counts[bit] += 1 }
                if e.pattern & 0b11 == 0b11 { pairs += 1 }
            }
            return line((counts + (mode == 1 ? [pairs] : [])).map(String.init).joined(separator: " "))
        default: return line("Unknown command")
        }
    }

    /// Events of an acquisition window `ns` long, in time order.
    private func acquire(ns window: UInt64) -> [(ns: UInt64, pattern: UInt8)] {
        if let source {
            let seen = source.acquire(picoseconds: Int64(window) * 1000)
            clockNS = source.clockPicoseconds.map { UInt64(max(0, $0)) / 1000 } ?? clockNS + window
            // Inputs firing in the same 2 ns bin are one word with several bits (a coincidence).
            var events: [(ns: UInt64, pattern: UInt8)] = []
            for e in seen {
                let ns = UInt64(max(0, e.picoseconds)) / 1000
                if let last = events.last, last.ns / 2 == ns / 2 {
                    events[events.count - 1].pattern |= e.inputs
                } else {
                    events.append((ns, e.inputs))
                }
            }
            return events
        }
        let t = Double(window) / 1e9
        var events: [(UInt64, UInt8)] = []
        var sources: [(Double, UInt8)] = rates.enumerated().map { ($0.element, UInt8(1 << $0.offset)) }
        sources.append((coincidenceRate, 0b0011))
        for (rate, pattern) in sources where rate > 0 {
            var at = 0.0
            while true {
                at += -log(rng.nextOpenUnit()) / rate  // Poisson process: Exp(1/rate) gaps
                guard at < t else { break }
                events.append((clockNS + UInt64(at * 1e9), pattern))
            }
        }
        clockNS += window
        return events.sorted { $0.0 < $1.0 }
    }

    /// The events as timestamp words, after a marker word (which the host must not count as an event) if `marker`.
    private func words(_ events: [(ns: UInt64, pattern: UInt8)], marker: Bool = true) -> [UInt8] {
        var bytes: [UInt8] = []
        var all: [(UInt64, UInt8, Bool)] = marker ? [(events.first?.ns ?? clockNS, 0, true)] : []
        all += events.map { ($0.ns, $0.pattern, false) }
        for (ns, pattern, marker) in all {
            let ticks = UInt32(truncatingIfNeeded: (ns / 2) & ((1 << 27) - 1))
            let word = (ticks << 5) | (marker ? 0x10 : 0) | UInt32(pattern & 0x0F)
            bytes += [UInt8(word & 0xFF), UInt8((word >> 8) & 0xFF), UInt8((word >> 16) & 0xFF), UInt8(word >> 24)]
        }
        return bytes
    }
}
