import Foundation
import IonLink
import IonLinkSimulation

/// An event-driven simulation of a switched ion-trap network: elementary links wait in one queue for
/// the next free hub; the switch connects the hub to the link's two traps; the number of attempts to the
/// herald is drawn at once (geometric), so the cost grows with heralds, not attempts. Stored pairs
/// decohere while they wait; a trap holding both links of its place in a chain swaps them at once; a
/// chain joined end to end is delivered, its fidelity recorded, and the request starts again.
public struct NetworkSimulator: Sendable {
    public let parameters: NetworkParameters
    public let requests: [NetworkRequest]

    public init(parameters: NetworkParameters, requests: [NetworkRequest]) {
        precondition(parameters.hubs >= 1 && (0...1).contains(parameters.successProbability) && parameters.successProbability > 0)
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
        let endPs = labTime.inPicoseconds, periodPs = p.attemptPeriod.inPicoseconds
        let switchPs = p.switchTime.inPicoseconds, swapPs = p.swapDuration.inPicoseconds
        let logKeep = log1p(-p.successProbability), w0 = Werner.parameter(fidelity: p.heraldedFidelity)
        let wSwap = Werner.parameter(fidelity: p.swapFidelity), tauPs = Double(p.memoryCoherence.inPicoseconds)
        var stats = requests.map { NetworkResult.PairStats(request: $0) }
        var segments: [[Segment]] = Array(repeating: [], count: requests.count)
        // Pending elementary links (request, hop), first come first served; hubs' current link and finish time.
        var queue: [(request: Int, hop: Int)] = []
        var head = 0
        var hubBusyUntil = [Int64](repeating: -1, count: p.hubs)
        var hubLink = [(request: Int, hop: Int)](repeating: (0, 0), count: p.hubs)
        var busyPs: Int64 = 0, attempts: Int64 = 0, events = 0
        var now: Int64 = 0

        func decayed(_ s: Segment, at t: Int64) -> Double { s.w * exp(-Double(max(0, t - s.since)) / tauPs) }

        func enqueue(_ r: Int) { for h in 0..<requests[r].hops { queue.append((r, h)) } }
        func dispatch() {
            for k in 0..<p.hubs where hubBusyUntil[k] < 0 && head < queue.count {
                let link = queue[head]
                head += 1
                let tries = rng.geometricFailures(logOneMinusP: logKeep) + 1
                attempts += tries
                let finish = now + switchPs + tries * periodPs
                busyPs += min(finish, endPs) - now
                hubBusyUntil[k] = finish
                hubLink[k] = link
            }
            if head > 4096 && head * 2 > queue.count { queue.removeFirst(head); head = 0 }
        }

        for r in requests.indices { enqueue(r) }
        dispatch()
        while true {
            // The next herald: the busy hub that finishes first.
            var next = -1
            for k in 0..<p.hubs where hubBusyUntil[k] >= 0 && (next < 0 || hubBusyUntil[k] < hubBusyUntil[next]) { next = k }
            guard next >= 0, hubBusyUntil[next] <= endPs else { break }
            now = hubBusyUntil[next]
            hubBusyUntil[next] = -1
            events += 1
            let (r, hop) = hubLink[next]
            var segs = segments[r]
            segs.append(Segment(from: hop, to: hop + 1, w: w0, since: now))
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
                segs.removeAll()
                enqueue(r)
            }
            segments[r] = segs
            dispatch()
        }
        let seconds = labTime.inSeconds
        for i in stats.indices { stats[i].rate = Double(stats[i].delivered) / seconds }
        return NetworkResult(pairs: stats, labTime: labTime, events: events, attempts: attempts,
                             hubUtilisation: Double(busyPs) / (Double(endPs) * Double(p.hubs)))
    }
}
