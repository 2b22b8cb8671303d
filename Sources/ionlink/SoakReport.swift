import Foundation
import IonLink
import IonLinkSequencer
import IonLinkPhysics

/// What `ionlink soak` found: counts against the model and the no-loss identities, the process's memory
/// over lab time, and its files and threads before and after.
struct SoakReport {
    var result: RunResult
    var lab: LabModel
    var loop: FaultInjectingAttemptLoop?
    /// Heralds handed to `onHerald` (what a record would have written).
    var handed: Int
    var samples: [(lab: Duration, resources: ProcessResources, heralds: Int)]
    var before: ProcessResources
    var after: ProcessResources
    var wallSeconds: Double
    var injected: Int

    /// Deviation of the measured success probability from the model's, in binomial standard errors.
    var pDeviation: Double {
        let p = lab.budget.model.heraldProbability
        let se = (p * (1 - p) / Double(max(1, result.attempts))).squareRoot()
        return (result.successProbability - p) / se
    }

    /// Least-squares slope of resident memory against lab time, bytes per hour, over the samples after
    /// the first (the first hour includes start-up).
    var memorySlopePerHour: Double {
        let points = samples.dropFirst().map { ($0.lab.inSeconds / 3600, Double($0.resources.residentBytes)) }
        guard points.count >= 2 else { return 0 }
        let mx = points.map(\.0).reduce(0, +) / Double(points.count), my = points.map(\.1).reduce(0, +) / Double(points.count)
        let sxy = points.map { ($0.0 - mx) * ($0.1 - my) }.reduce(0, +), sxx = points.map { ($0.0 - mx) * ($0.0 - mx) }.reduce(0, +)
        return sxx > 0 ? sxy / sxx : 0
    }

    /// Resident memory growth from the first sample to the last, bytes.
    var memoryGrowth: Int { (samples.last?.resources.residentBytes ?? 0) - (samples.first?.resources.residentBytes ?? 0) }

    var nothingLost: Bool {
        guard let loop else { return false }
        let t = loop.totals
        return t.heralds == result.heralds + result.rejectedHeralds && t.attempts == result.attempts + result.discardedAttempts
            && handed == result.heralds
    }

    /// The fidelity the verifications should measure: the model's, shrunk by the traps' readout error.
    var expectedVerifiedFidelity: Double { lab.expectedVerifiedFidelity }

    var fidelityAgrees: Bool {
        guard let est = result.verification.fidelityEstimate() else { return false }
        return abs(est.fidelity - expectedVerifiedFidelity) < 2 * est.halfWidth
    }

    /// Memory flat: under 1 MiB growth after the first sample (a growing list of heralds would add
    /// tens of MB a day), descriptors back to where they were, no thread added after the first sample.
    var memoryFlat: Bool { memoryGrowth < 1 << 20 }
    var noLeaks: Bool { after.openFiles == before.openFiles && after.threads <= (samples.first?.resources.threads ?? after.threads) }

    var passed: Bool {
        result.failure == nil && nothingLost && abs(pDeviation) < 4 && fidelityAgrees && memoryFlat && noLeaks
    }

    func text() -> String {
        func mb(_ b: Int) -> String { String(format: "%.1f MB", Double(b) / 1e6) }
        let r = result, model = lab.budget.model
        var lines = [
            String(
                format: "lab time       %.0f s (%.2f h) in %.1f s of wall time", r.time.total.inSeconds, r.time.total.inSeconds / 3600, wallSeconds),
            "faults         \(injected) injected; recovered: " + r.faults.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { String(format: "%@ %d (%.1f s)", $0.key.rawValue, $0.value.count, $0.value.timeLost.inSeconds) }.joined(separator: ", "),
            "failure        \(r.failure ?? "none")",
            "heralds        \(r.heralds) in \(r.attempts) attempts (\(r.discardedAttempts) discarded with lost tags, \(r.rejectedHeralds) rejected)",
            String(format: "P(success)     %.6g vs model %.6g: %+.2f σ", r.successProbability, model.heraldProbability, pDeviation),
        ]
        if let est = r.verification.fidelityEstimate() {
            lines.append(String(format: "fidelity       %.4f ± %.4f (95 %%) vs model %.4f, %.4f after readout error", est.fidelity, est.halfWidth,
                                model.meanFidelity, expectedVerifiedFidelity))
        }
        if let loop {
            let t = loop.totals
            lines.append(
                "no loss        loop made \(t.heralds) heralds, \(t.attempts) attempts; counted \(r.heralds) + rejected \(r.rejectedHeralds), "
                + "\(r.attempts) + discarded \(r.discardedAttempts); handed to the record \(handed): \(nothingLost ? "ok" : "MISMATCH")")
        }
        lines.append("memory (RSS)   " + samples.map { String(format: "%.0fh %@", $0.lab.inSeconds / 3600, mb($0.resources.residentBytes)) }
            .joined(separator: ", "))
        lines.append(String(format: "               growth after the first sample %@, slope %+.1f kB/h: %@", mb(memoryGrowth),
                            memorySlopePerHour / 1e3, memoryFlat ? "flat" : "GROWING"))
        lines.append("files, threads before \(before.openFiles), \(before.threads); first sample \(samples.first?.resources.openFiles ?? 0), "
            + "\(samples.first?.resources.threads ?? 0); after \(after.openFiles), \(after.threads): \(noLeaks ? "no leak" : "LEAK")")
        lines.append(passed ? "soak passed" : "SOAK FAILED")
        return lines.joined(separator: "\n")
    }
}
