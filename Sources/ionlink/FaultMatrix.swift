import Foundation
import IonLink
import IonLinkRecords
import IonLinkSequencer

/// The fault matrix: one `ionlink run` of the default lab per fault (a child process with a one-entry
/// fault plan and a run record), and what came of it, read from the run's JSON summary and its HDF5
/// record. `kill` is a run that SIGKILLs itself mid-way and is then resumed from its record.
struct FaultMatrix {
    /// One row's fault: the plan entry (YAML), the device and the kind of recovery expected.
    struct Case {
        var fault: FaultKind
        var device: String
        var entry: String
        var expected: RecoverableFault?
    }

    struct Row: Codable {
        var fault: String
        var device: String
        var injectedAtS: Double
        var recovered: Bool
        /// Lab time the link could not herald because of the fault: from the injection (a wrapper fault:
        /// from the call that met it) to working again; for `kill`, the lab time redone after resuming.
        var timeLostS: Double
        /// Heralds the attempt loop produced (or a killed part recorded) missing from the final record.
        var heraldsLost: Int
        /// Heralds present twice in the final record.
        var countedTwice: Int
        /// Measured success probability over the model's, and its deviation in standard errors.
        var pOverModel: Double
        var pDeviationSigma: Double
        var note: String
    }

    var ionlink: URL
    var directory: URL
    var seed: UInt64
    var labTime: Duration
    /// When the fault strikes (lab time).
    var at: Duration

    static func cases(at: Duration) -> [Case] {
        let t = at.inSeconds
        return [
            Case(
                fault: .timeout, device: "nodeA.cooling", entry: "{ at_s: \(t), device: nodeA.cooling, fault: timeout, count: 3 }", expected: .timeout
            ),
            Case(
                fault: .garbage, device: "nodeB.trap", entry: "{ at_s: \(t), device: nodeB.trap, fault: garbage, count: 2 }",
                expected: .malformedReply),
            Case(fault: .disconnect, device: "hub.detector1", entry: "{ at_s: \(t), device: hub.detector1, fault: disconnect, for_s: 5 }",
                 expected: .disconnected),
            Case(fault: .latch, device: "hub.detector2", entry: "{ at_s: \(t), device: hub.detector2, fault: latch }", expected: .latch),
            Case(fault: .interlock, device: "nodeA.excitation", entry: "{ at_s: \(t), device: nodeA.excitation, fault: interlock, for_s: 10 }",
                 expected: .interlock),
            Case(fault: .overflow, device: "hub.tagger", entry: "{ at_s: \(t), device: hub.tagger, fault: overflow, for_s: 1 }", expected: .overflow),
            Case(fault: .ionLoss, device: "nodeB.trap", entry: "{ at_s: \(t), device: nodeB.trap, fault: ion_loss, count: 1 }", expected: .ionLoss),
            Case(fault: .kill, device: "(process)", entry: "{ at_s: \(t), fault: kill }", expected: nil),
        ]
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    func run(_ c: Case) throws -> Row {
        let plan = directory.appendingPathComponent("\(c.fault.rawValue).yaml")
        try "faults:\n  - \(c.entry)\n".write(to: plan, atomically: true, encoding: .utf8)
        let record = directory.appendingPathComponent("\(c.fault.rawValue).h5").path
        let args = ["run", "--seed", "\(seed)", "--duration", "\(labTime.inSeconds)s", "--faults", plan.path, "--record", record, "--json"]
        if c.fault == .kill { return try killRow(c, args: args + ["--pace", "\(at.inSeconds / 1.5)"], record: record) }
        let out = try Self.child(ionlink, args)
        guard out.status == 0 || out.status == 1, let summary = Self.object(out.stdout) else {
            throw Failure(description: "\(c.fault.rawValue): ionlink run exited \(out.status): \(out.stderr.suffix(400))")
        }
        let plannedAt = at.inSeconds
        let outcome = summary["fault_plan"] as? [String: Any] ?? [:]
        let recovered = (outcome["recovered"] as? [[String: Any]] ?? []).filter { $0["fault"] as? String == c.expected?.rawValue }
        let failure = summary["failure"] as? String
        let ok = failure == nil && !recovered.isEmpty
        // A wrapper fault bites at the first call that meets it; the other faults darken the link at once.
        let lost = recovered.map { e -> Double in
            let back = e["recovered_s"] as? Double ?? 0, noticed = e["noticed_s"] as? Double ?? 0
            return back - (c.fault.isWrapperFault ? noticed : plannedAt)
        }.reduce(0, +)
        let file = try RunRecord.read(path: record)
        let loopHeralds = outcome["loop_heralds"] as? Int ?? 0, rejected = summary["rejected_heralds"] as? Int ?? 0
        return Row(fault: c.fault.rawValue, device: c.device, injectedAtS: plannedAt, recovered: ok, timeLostS: lost,
                   heraldsLost: loopHeralds - rejected - file.heralds.count, countedTwice: Self.duplicates(file.heralds),
                   pOverModel: Self.ratio(summary), pDeviationSigma: Self.deviation(summary), note: failure ?? "")
    }

    /// The run kills itself (paced so that the record is flushed before), then `--resume` finishes it.
    private func killRow(_ c: Case, args: [String], record: String) throws -> Row {
        let first = try Self.child(ionlink, args)
        guard first.signal == SIGKILL else {
            throw Failure(description: "kill: the run was not killed (status \(first.status)): \(first.stderr.suffix(400))")
        }
        let killed = try RunRecord.read(path: record)
        let kept = Array(killed.heralds.prefix(killed.totals.heralds))
        let redone = at - killed.totals.time.total
        let resumed = try Self.child(ionlink, ["run", "--resume", record, "--json"])
        guard resumed.status == 0, let summary = Self.object(resumed.stdout) else {
            throw Failure(description: "kill: the resumed run exited \(resumed.status): \(resumed.stderr.suffix(400))")
        }
        let final = try RunRecord.read(path: record)
        let finalByAttempt = Dictionary(final.heralds.map { ($0.attempt, $0) }, uniquingKeysWith: { a, _ in a })
        let missing = kept.filter { finalByAttempt[$0.attempt] != $0 }.count
        return Row(fault: c.fault.rawValue, device: c.device, injectedAtS: at.inSeconds,
                   recovered: final.isComplete && final.resumes == 1, timeLostS: redone.inSeconds, heraldsLost: missing,
                   countedTwice: Self.duplicates(final.heralds), pOverModel: Self.ratio(summary), pDeviationSigma: Self.deviation(summary),
            note: "\(kept.count) heralds flushed before the kill; resumed from \(String(format: "%.1f", killed.totals.time.total.inSeconds)) s")
    }

    static func duplicates(_ heralds: [HeraldRecord]) -> Int { heralds.count - Set(heralds.map(\.attempt)).count }

    static func ratio(_ s: [String: Any]) -> Double {
        (s["success_probability"] as? Double ?? 0) / max(1e-300, s["success_probability_model"] as? Double ?? 1)
    }

    static func deviation(_ s: [String: Any]) -> Double {
        let p = s["success_probability"] as? Double ?? 0, m = s["success_probability_model"] as? Double ?? 0
        let se = s["success_probability_stderr"] as? Double ?? 0
        return se > 0 ? (p - m) / se : 0
    }

    static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    struct ChildOutput {
        var status: Int32
        /// The signal that ended it, if one did.
        var signal: Int32?
        var stdout: String
        var stderr: String
    }

    /// Runs `ionlink` without any preload it was started under (umockdev's), capturing its output.
    static func child(_ executable: URL, _ arguments: [String]) throws -> ChildOutput {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.filter { $0.key != "LD_PRELOAD" && $0.key != "UMOCKDEV_DIR" }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let signal = p.terminationReason == .uncaughtSignal ? p.terminationStatus : nil
        return ChildOutput(status: p.terminationStatus, signal: signal, stdout: String(decoding: o, as: UTF8.self),
                           stderr: String(decoding: e, as: UTF8.self))
    }

    /// The rows as a Markdown table.
    static func markdown(_ rows: [Row]) -> String {
        var lines = ["| fault | device | recovered | lab time lost (s) | heralds lost | counted twice | P / P_model (σ) |",
                     "|---|---|---|---|---|---|---|"]
        for r in rows {
            lines.append("| `\(r.fault)` | \(r.device) | \(r.recovered ? "yes" : "NO: \(r.note)") | \(String(format: "%.3f", r.timeLostS)) | "
                + "\(r.heraldsLost) | \(r.countedTwice) | \(String(format: "%.3f (%+.1f)", r.pOverModel, r.pDeviationSigma)) |")
        }
        return lines.joined(separator: "\n")
    }
}
