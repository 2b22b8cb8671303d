import ArgumentParser
import Foundation
import IonLink
import IonLinkPhysics
import IonLinkTags

/// `ionlink replay FILE`: a time-tag file through the herald engine and the correlator.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract:
            "Replay a PicoQuant PTU, PT2/PT3 or HT2/HT3 file: records, syncs, clicks and rates per channel, heralds per pattern, coincidences, g².",
        discussion: "In PTU files channel 0 is the sync and detector inputs count from 1. Examples, for a file from "
            + "`ionlink run --tags run.ptu` on the default lab: `ionlink replay run.ptu --config lab.yaml`, or "
            + "`ionlink replay run.ptu --pattern psi-=1,4 --pattern psi-=3,2 --pattern psi+=1,2 --pattern psi+=3,4 "
            + "--window 674ns..695ns --g2 1,4`")

    @Argument(help: "The PTU, PT2, PT3, HT2 or HT3 file.")
    var file: String

    @Option(help: "Sync channel.")
    var sync: Int32 = 0

    @Option(help: "Take slots, windows and the four Bell-state patterns from a lab YAML (for files written by `ionlink run --tags`).")
    var config: String?

    @Option(help: ArgumentHelp("A herald pattern NAME=SLOT,SLOT (repeatable): exactly these slots click. A slot is CH (the window "
        + "after the sync) or CH+TIME (the window shifted by TIME, e.g. the late bin 1+100ns of time-bin encoding)."))
    var pattern: [String] = []

    @Option(help: "Detection window after the sync, START..END (e.g. 5ns..20ns).")
    var window: String = "0ns..20ns"

    @Option(help: "A channel's delay CH=TIME (e.g. 3=-250ps), added to its tags (repeatable).")
    var offset: [String] = []

    @Option(help: "Cross-correlate two channels A,B and report g².")
    var g2: String?

    @Option(help: "g² bin width.")
    var bin: String = "100ps"

    @Option(help: "g² half range.")
    var range: String = "50ns"

    @Flag(help: "Print one JSON object.")
    var json = false

    /// The longest time a flag may give: a day (times past it are no window, offset or bin of a tag file).
    static let longest: Double = 86_400e12

    /// A time flag in picoseconds; refused (usage error) unless it is a number with a unit, within ±1 day.
    static func picoseconds(_ text: String) throws -> Int64 {
        let t = text.trimmingCharacters(in: .whitespaces)
        for (unit, scale) in [("ps", 1.0), ("ns", 1e3), ("us", 1e6), ("ms", 1e9), ("s", 1e12)] where t.hasSuffix(unit) {
            guard let v = Double(t.dropLast(unit.count)), v.isFinite else { break }
            guard abs(v * scale) <= longest else { throw ValidationError("'\(text)' is longer than a day") }
            return Int64((v * scale).rounded())
        }
        throw ValidationError("'\(text)' is not a time such as 250ps, 20ns or 1.5us")
    }

    /// Most g² bins a histogram may have (`--range` ÷ `--bin`), to keep its memory bounded (80 MB).
    static let maximumBins: Int64 = 10_000_000

    /// Channels a file can hold: the sync (0) and inputs 1…64 of the largest taggers, with room to spare.
    static let channels: ClosedRange<Int32> = 0...127

    func validate() throws {
        guard Self.channels.contains(sync) else { throw ValidationError("--sync must be a channel 0…127, got \(sync)") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be 1…64, got \(threads)") }
        _ = try detectionWindow()
        _ = try delays()
        guard try g2Pair() != nil else { return }
        let (b, r) = (try Self.picoseconds(bin), try Self.picoseconds(range))
        guard b > 0 else { throw ValidationError("--bin must be positive, got \(bin)") }
        guard r > 0 else { throw ValidationError("--range must be positive, got \(range)") }
        guard r / b <= Self.maximumBins / 2 else {
            throw ValidationError("--range \(range) in bins of \(bin) is \(2 * (r / b)) bins; at most \(Self.maximumBins)")
        }
    }

    /// Parses `NAME=SLOT,SLOT` patterns into engine slots (shared between patterns) and patterns.
    static func addPatterns(_ texts: [String], window w: ClosedRange<Int64>, slots: inout [EngineSlot],
                            patterns: inout [EnginePattern]) throws {
        for p in texts {
            let kv = p.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { throw ValidationError("--pattern must be NAME=SLOT,SLOT, got \(p)") }
            var indices: [Int] = []
            for token in kv[1].split(separator: ",") {
                let parts = token.split(separator: "+", maxSplits: 1)
                guard let channel = Int32(parts[0]), channels.contains(channel) else {
                    throw ValidationError("--pattern \(p): '\(token)' is not CH or CH+TIME with CH 0…127")
                }
                let shift = parts.count == 2 ? try picoseconds(String(parts[1])) : 0
                let slot = EngineSlot(channel: channel, window: (w.lowerBound + shift)...(w.upperBound + shift))
                if let i = slots.firstIndex(of: slot) { indices.append(i) } else {
                    slots.append(slot)
                    indices.append(slots.count - 1)
                }
            }
            guard !indices.isEmpty else { throw ValidationError("--pattern \(p) names no slot") }
            patterns.append(EnginePattern(name: String(kv[0]), slots: indices))
        }
    }

    @Option(help: "Threads reading the file at once (T2 files without --g2 are cut into this many segments).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        let w = try detectionWindow()
        var (slots, patterns) = try configSlots()
        try Self.addPatterns(pattern, window: w, slots: &slots, patterns: &patterns)
        guard slots.count <= 64 else { throw ValidationError("the patterns name \(slots.count) slots; at most 64") }
        let engine = HeraldEngine(syncChannel: sync, slots: slots, patterns: patterns, delays: try delays())
        let correlator = try g2Pair().map { Correlator(channelA: $0.0, channelB: $0.1, binWidth: try Self.picoseconds(bin),
                                                       range: try Self.picoseconds(range)) }
        // Streamed: the file's tags are never all in memory, whatever its size.
        let totals: ReplayTotals
        do {
            let bytes = try TTTRBytes(contentsOf: URL(fileURLWithPath: file))
            totals = try TTTRReplay.run(bytes, layout: try TTTRFile.layout(bytes), engine: engine, correlator: correlator,
                                        threads: threads)
        } catch {
            FileHandle.standardError.write(Data("error: \(file): \(error)\n".utf8))
            throw ExitCode(2)
        }
        try checkChannels(slots: slots, present: Set(totals.channelCounts.keys))
        let summary = ReplaySummary(totals: totals, file: file, sync: sync, patterns: patterns)
        if json { print(try summary.json()) } else { summary.text().forEach { print($0) } }
    }

    /// Refuses a pattern, `--g2` or `--offset` that names the sync or an input with no tags in the file: it
    /// would count 0 and look like an answer. A lab YAML's detector channels count from 0 while the file's
    /// inputs count from 1 (0 is the sync), the usual way to name the wrong inputs, so the message says so.
    func checkChannels(slots: [EngineSlot], present: Set<Int32>) throws {
        let detectors = present.subtracting([sync]).sorted()
        let named: [(String, Int32)] = slots.map { ("--pattern", $0.channel) } + (try g2Pair().map { [("--g2", $0.0), ("--g2", $0.1)] } ?? [])
            + (try delays().keys.sorted().map { ("--offset", $0) })
        let hint = "the file's detector inputs with tags: \(detectors.map(String.init).joined(separator: ", ")) (sync \(sync)); "
            + "a lab YAML's detector channel c is input c + 1 in a file `ionlink run --tags` wrote"
        for (flag, channel) in named {
            if channel == sync && flag == "--pattern" {
                throw ValidationError("\(flag) names input \(channel), the sync; \(hint)")
            }
            if !present.contains(channel) {
                throw ValidationError("\(flag) names input \(channel), which has no tags in \(file); \(hint)")
            }
        }
    }

    /// `--window START..END` in picoseconds after the sync.
    func detectionWindow() throws -> ClosedRange<Int64> {
        let bounds = window.components(separatedBy: "..")
        guard bounds.count == 2 else { throw ValidationError("--window must be START..END") }
        let (start, end) = (try Self.picoseconds(bounds[0]), try Self.picoseconds(bounds[1]))
        guard start < end else { throw ValidationError("--window \(window) ends before it starts") }
        return start...end
    }

    /// `--offset CH=TIME`, per channel.
    func delays() throws -> [Int32: Int64] {
        var delays: [Int32: Int64] = [:]
        for o in offset {
            let kv = o.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, let ch = Int32(kv[0]), Self.channels.contains(ch) else {
                throw ValidationError("--offset must be CH=TIME with CH 0…127, got \(o)")
            }
            delays[ch] = try Self.picoseconds(String(kv[1]))
        }
        return delays
    }

    /// `--g2 A,B`.
    func g2Pair() throws -> (Int32, Int32)? {
        guard let g2 else { return nil }
        let ab = g2.split(separator: ",").compactMap { Int32($0) }
        guard ab.count == 2 else { throw ValidationError("--g2 must be A,B") }
        return (ab[0], ab[1])
    }

    /// The slots and Bell-state patterns of `--config`'s lab (none without it).
    func configSlots() throws -> ([EngineSlot], [EnginePattern]) {
        guard let config else { return ([], []) }
        // The lab's slot layout; in IonLink's PTU files detector channel c is input c + 1 (sync 0).
        let model: LabModel
        do { model = try LabModel(config: try loadLabConfig(path: config)) } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        var layout = model.slotLayout
        if model.config.hub.syncChannel != 0 { layout.channelOfSlot = layout.channelOfSlot.map { $0 + 1 } }
        let engine = layout.heraldEngine(syncChannel: sync)
        return (engine.slots, engine.patterns)
    }
}
