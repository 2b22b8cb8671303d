import Foundation
import IonLinkNetwork

/// What `ionlink network` prints: the link, the totals and each pair's rate and fidelity.
struct NetworkSummary: Codable {
    struct Pair: Codable {
        var path: [Int]
        var delivered: Int
        var ratePerS: Double
        var meanFidelity: Double
        var fidelityStderr: Double
    }
    var nodes: Int
    var hubs: Int
    var attemptPeriodS: Double
    var successProbability: Double
    var heraldedFidelity: Double
    /// The link of each hop of a chain, in turn (`--link-lengths`), or empty: every hop is the link above.
    var hopLinks: [Link]
    struct Link: Codable {
        var fiberLengthM: Double
        var attemptPeriodS: Double
        var successProbability: Double
        var heraldedFidelity: Double
    }
    var labTimeS: Double
    var delivered: Int
    var attempts: Int64
    var events: Int
    var hubUtilisation: Double
    var discarded: Int
    var wallTimeS: Double
    var pairs: [Pair]

    init(parameters p: NetworkParameters, result r: NetworkResult, wallSeconds: Double) {
        nodes = p.nodes
        hubs = p.hubs
        attemptPeriodS = p.attemptPeriod.inSeconds
        successProbability = p.successProbability
        heraldedFidelity = p.heraldedFidelity
        hopLinks = p.hopLinks.map { Link(fiberLengthM: $0.fiberLengthMeters, attemptPeriodS: $0.attemptPeriod.inSeconds,
                                         successProbability: $0.successProbability, heraldedFidelity: $0.heraldedFidelity) }
        labTimeS = r.labTime.inSeconds
        delivered = r.delivered
        attempts = r.attempts
        events = r.events
        hubUtilisation = r.hubUtilisation
        discarded = r.discarded
        wallTimeS = wallSeconds
        pairs = r.pairs.map { Pair(path: $0.request.path, delivered: $0.delivered, ratePerS: $0.rate, meanFidelity: $0.meanFidelity,
                                   fidelityStderr: $0.fidelityStderr) }
    }

    func json() throws -> String {
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try enc.encode(self), as: UTF8.self)
    }

    func text() -> String {
        let rates = pairs.map(\.ratePerS), fids = pairs.filter { $0.delivered > 0 }.map(\.meanFidelity)
        var lines = [
            String(format: "network        %d traps, %d hubs; link: %.3g s per attempt, P = %.4g, F = %.4f", nodes, hubs, attemptPeriodS,
                   successProbability, heraldedFidelity),
            String(format: "delivered      %d pairs in %.0f s of lab time (%.4g /s in all), %lld attempts, %d events, hubs busy %.1f %%",
                   delivered, labTimeS, Double(delivered) / max(labTimeS, 1e-300), attempts, events, 100 * hubUtilisation),
            String(format: "per pair       rate %.4g–%.4g /s, mean fidelity %.4f–%.4f", rates.min() ?? 0, rates.max() ?? 0, fids.min() ?? 0,
                   fids.max() ?? 0),
            String(format: "wall time      %.3f s (%.3g events/s)", wallTimeS, Double(events) / max(wallTimeS, 1e-9)),
        ]
        if discarded > 0 { lines.insert(String(format: "cut-off        %d stored pairs discarded, their links entangled again", discarded), at: 2) }
        for (h, l) in hopLinks.enumerated() {
            lines.insert(String(format: "  hop %d        %.0f m of fiber per node: %.3g s per attempt, P = %.4g, F = %.4f", h + 1, l.fiberLengthM,
                                l.attemptPeriodS, l.successProbability, l.heraldedFidelity), at: 1 + h)
        }
        for pair in pairs.prefix(8) {
            lines.append(String(format: "  %@  %6d delivered  %8.4g /s  F = %.4f ± %.4f", pair.path.map(String.init).joined(separator: "–"),
                                pair.delivered, pair.ratePerS, pair.meanFidelity, pair.fidelityStderr))
        }
        if pairs.count > 8 { lines.append("  … \(pairs.count - 8) more pairs (--json for all)") }
        return lines.joined(separator: "\n")
    }
}
