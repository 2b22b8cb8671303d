import Foundation
import IonLink
import IonLinkSimulation

/// How free hubs choose the next elementary link.
public enum LinkScheduling: String, Sendable, Hashable, CaseIterable {
    /// In the order links were requested.
    case firstComeFirstServed = "fifo"
    /// Links of chains that already hold a stored pair first (the chain holding one longest first), then the
    /// rest in order: a stored pair waits for its partner link only as long as a hub takes to come free,
    /// not behind every link queued before it, so it decoheres less. The hubs stay as busy as under FIFO.
    case partnerFirst = "partner-first"
}

/// An event-driven simulation of a switched ion-trap network: elementary links wait in one queue for
/// the next free hub; the switch connects the hub to the link's two traps; the number of attempts to the
/// herald is drawn at once (geometric), so the cost grows with heralds, not attempts. Stored pairs
/// decohere while they wait; a trap holding both links of its place in a chain swaps them at once; a
/// chain joined end to end is delivered, its fidelity recorded, and the request starts again.
public struct NetworkSimulator: Sendable {
    public let parameters: NetworkParameters
    public let requests: [NetworkRequest]
    public let scheduling: LinkScheduling
    /// Memory cut-off: a stored pair older than this is discarded and its links entangled again
    /// (nil: pairs wait as long as it takes).
    public let cutoff: Duration?

    public init(parameters: NetworkParameters, requests: [NetworkRequest], scheduling: LinkScheduling = .firstComeFirstServed,
                cutoff: Duration? = nil) {
        precondition(cutoff.map { $0 > .zero } ?? true, "a positive cut-off")
        self.scheduling = scheduling
        self.cutoff = cutoff
        precondition(parameters.hubs >= 1 && (0...1).contains(parameters.successProbability) && parameters.successProbability > 0)
        precondition(parameters.hopLinks.allSatisfy { $0.successProbability > 0 && $0.successProbability <= 1 && $0.attemptPeriod > .zero })
        precondition(requests.allSatisfy { $0.path.allSatisfy { (0..<parameters.nodes).contains($0) } })
        self.parameters = parameters
        self.requests = requests
    }

    /// A stored pair spanning path positions `from`…`to`, with Werner parameter `w` at time `since` (ps).
    struct Segment {
        var from: Int
        var to: Int
        var w: Double
        var since: Int64
    }

    /// Runs for `labTime` with the seed's random stream.
    public func run(labTime: Duration, seed: UInt64) -> NetworkResult {
        let p = parameters
        var rng = SeededGenerator(seed: seed)
        let endPs = labTime.inPicoseconds
        let switchPs = p.switchTime.inPicoseconds, swapPs = p.swapDuration.inPicoseconds
        // Each hop's link: its attempt period, log(1 − P) and heralded Werner parameter.
        let hopCount = max(1, p.hopLinks.count)
        let periodPs = (0..<hopCount).map { p.link(hop: $0).attemptPeriod.inPicoseconds }
        let logKeep = (0..<hopCount).map { log1p(-p.link(hop: $0).successProbability) }
        let w0 = (0..<hopCount).map { Werner.parameter(fidelity: p.link(hop: $0).heraldedFidelity) }
        let wSwap = Werner.parameter(fidelity: p.swapFidelity), tauPs = Double(p.memoryCoherence.inPicoseconds)
        var stats = requests.map { NetworkResult.PairStats(request: $0) }
        var segments: [[Segment]] = Array(repeating: [], count: requests.count)
        // Pending elementary links (request, hop, generation), first come first served; hubs' current link and
        // finish time. A request's generation counts its restarts; `served` marks the links of the current
        // one already given a hub (partner-first serves some ahead of their place in the queue).
        var queue: [(request: Int, hop: Int, gen: Int)] = []
        var head = 0
        var urgent: [(request: Int, hop: Int, gen: Int)] = []
        var urgentHead = 0
        var generation = [Int](repeating: 0, count: requests.count)
        var served = requests.map { [Int](repeating: -1, count: $0.hops) }
        var hubBusyUntil = [Int64](repeating: -1, count: p.hubs)
        var hubLink = [(request: Int, hop: Int)](repeating: (0, 0), count: p.hubs)
        var busyPs: Int64 = 0, attempts: Int64 = 0, events = 0, discarded = 0
        let cutPs = cutoff?.inPicoseconds
        var now: Int64 = 0

        func decayed(_ s: Segment, at t: Int64) -> Double { s.w * exp(-Double(max(0, t - s.since)) / tauPs) }

        func enqueue(_ r: Int) {
            generation[r] += 1
            for h in 0..<requests[r].hops { queue.append((r, h, generation[r])) }
        }
        func waiting(_ l: (request: Int, hop: Int, gen: Int)) -> Bool { l.gen == generation[l.request] && served[l.request][l.hop] != l.gen }
        // The next link to give a hub: under partner-first, the links of chains already holding a stored
        // pair (oldest first), so stored pairs wait less; then the queue in order.
        func nextLink() -> (request: Int, hop: Int)? {
            while urgentHead < urgent.count {
                let l = urgent[urgentHead]
                urgentHead += 1
                if waiting(l) { served[l.request][l.hop] = l.gen; return (l.request, l.hop) }
            }
            while head < queue.count {
                let l = queue[head]
                head += 1
                if waiting(l) { served[l.request][l.hop] = l.gen; return (l.request, l.hop) }
            }
            return nil
        }
        func dispatch() {
            for k in 0..<p.hubs where hubBusyUntil[k] < 0 {
                guard let link = nextLink() else { break }
                // Saturating: a success probability near 0 or a long attempt period draws a herald past
                // the end of time (Int64 picoseconds); it then finishes "never", after the run's end.
                let failures = rng.geometricFailures(logOneMinusP: logKeep[link.hop % hopCount])
                let tries = failures == .max ? Int64.max : failures + 1
                attempts = attempts > Int64.max - tries ? .max : attempts + tries
                let (span, overflow) = tries.multipliedReportingOverflow(by: periodPs[link.hop % hopCount])
                let finish = overflow || span > Int64.max - now - switchPs ? Int64.max : now + switchPs + span
                busyPs += min(finish, endPs) - now
                hubBusyUntil[k] = finish
                hubLink[k] = link
            }
            if head > 4096 && head * 2 > queue.count { queue.removeFirst(head); head = 0 }
            if urgentHead > 4096 && urgentHead * 2 > urgent.count { urgent.removeFirst(urgentHead); urgentHead = 0 }
        }

        for r in requests.indices { enqueue(r) }
        dispatch()
        while true {
            // The next herald: the busy hub that finishes first.
            var next = -1
            for k in 0..<p.hubs where hubBusyUntil[k] >= 0 && (next < 0 || hubBusyUntil[k] < hubBusyUntil[next]) { next = k }
            // Unless a stored pair reaches the cut-off first: it is discarded and its links requested again
            // (ahead of the queue under partner-first, at its end under FIFO).
            if let cutPs {
                var oldest: (request: Int, index: Int, at: Int64)?
                for r in segments.indices {
                    for (i, s) in segments[r].enumerated() where oldest == nil || s.since + cutPs < oldest!.at {
                        oldest = (r, i, s.since + cutPs)
                    }
                }
                if let o = oldest, o.at <= endPs, next < 0 || o.at < hubBusyUntil[next] {
                    now = o.at
                    let s = segments[o.request].remove(at: o.index)
                    discarded += 1
                    events += 1
                    for h in s.from..<s.to {
                        served[o.request][h] = -1
                        let link = (o.request, h, generation[o.request])
                        if scheduling == .partnerFirst { urgent.append(link) } else { queue.append(link) }
                    }
                    dispatch()
                    continue
                }
            }
            guard next >= 0, hubBusyUntil[next] <= endPs else { break }
            now = hubBusyUntil[next]
            hubBusyUntil[next] = -1
            events += 1
            let (r, hop) = hubLink[next]
            var segs = segments[r]
            segs.append(Segment(from: hop, to: hop + 1, w: w0[hop % hopCount], since: now))
            // Swap wherever two stored segments meet at a trap.
            var merged = true
            while merged {
                merged = false
                segs.sort { $0.from < $1.from }
                for i in 0..<(segs.count - 1) where segs[i].to == segs[i + 1].from {
                    let t = now + swapPs
                    let w = decayed(segs[i], at: t) * decayed(segs[i + 1], at: t) * wSwap
                    segs[i] = Segment(from: segs[i].from, to: segs[i + 1].to, w: w, since: t)
                    segs.remove(at: i + 1)
                    events += 1
                    merged = true
                    break
                }
            }
            if segs.count == 1, segs[0].from == 0, segs[0].to == requests[r].hops {
                let f = Werner.fidelity(parameter: decayed(segs[0], at: max(now, segs[0].since)))
                stats[r].delivered += 1
                stats[r].fidelitySum += f
                stats[r].fidelitySquares += f * f
                stats[r].fidelityMin = min(stats[r].fidelityMin, f)
                segs.removeAll()
                enqueue(r)
            } else if scheduling == .partnerFirst {
                // This chain now holds a stored pair: its links still waiting go ahead of the queue.
                for h in 0..<requests[r].hops where served[r][h] != generation[r] { urgent.append((r, h, generation[r])) }
            }
            segments[r] = segs
            dispatch()
        }
        let seconds = labTime.inSeconds
        for i in stats.indices { stats[i].rate = Double(stats[i].delivered) / seconds }
        return NetworkResult(pairs: stats, labTime: labTime, events: events, attempts: attempts,
                             hubUtilisation: Double(busyPs) / (Double(endPs) * Double(p.hubs)), discarded: discarded)
    }
}
