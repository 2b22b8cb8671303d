import Foundation
import IonLink
import IonLinkPhysics
import IonLinkSimulation

extension EmulatedWorld {
    /// The probability that an attempt which does not herald leaves one click in each slot: a node's photon
    /// detected alone, e·η (its excitation, and its double excitation's extra photon, times the chain's
    /// per-photon click probability; ``HeraldModel``'s `NodeEmission`), spread evenly over the four slots
    /// (a 50:50 beam splitter, and a qubit photon whose marginal is even over the two bins or
    /// polarisations), scaled by the slot's detector (live, efficiency at its bias); plus the slot's dark
    /// count. Attempts with two clicks that are no herald pattern (far rarer than singles) are not drawn.
    func singleClickProbabilities(excitation: [Double], _ w: SimulatedWorld.State) -> [Double] {
        let m = model.budget.model
        let photons = zip([m.nodeA, m.nodeB], excitation).enumerated().reduce(0.0) { sum, item in
            let (n, (node, e)) = item
            guard w.ionPresent[n], w.excitationOn[n] else { return sum }
            return sum + e * (1 + node.doubleExcitation.value) * node.perPhoton.value
        }
        return (0..<4).map { k in
            w.slotLive[k] ? photons / 4 * w.slotEfficiencyScale[k] + m.darkClickPerSlot.value : 0
        }
    }

    /// The single clicks of `attempts` attempts that did not herald, the first with its sync at `start`:
    /// each attempt clicks in slot k with probability q_k (one click at most), at the place in the slot's
    /// window a herald's click would have.
    func singleClicks(attempts: Int64, start: Int64, period: Int64, excitation: [Double], loop: SimulatedAttemptLoop) -> [LabEvent] {
        guard attempts > 0 else { return [] }
        return world.withState { w -> [LabEvent] in
            let q = singleClickProbabilities(excitation: excitation, w)
            let total = q.reduce(0, +)
            guard total > 0 else { return [] }
            var events: [LabEvent] = []
            // The attempts with a click, by geometric gaps (Bernoulli(Σq) per attempt), then its slot ∝ q_k.
            var k = w.rng.geometricFailures(logOneMinusP: log1p(-min(total, 0.999_999)))
            while k < attempts {
                var u = w.rng.nextUnit() * total, slot = 0
                while slot < 3 && u >= q[slot] { u -= q[slot]; slot += 1 }
                let t = loop.clickTag(slot: slot, sync: start + k * period, rng: &w.rng)
                events.append(LabEvent(picoseconds: t.picoseconds, channel: t.channel))
                let gap = w.rng.geometricFailures(logOneMinusP: log1p(-min(total, 0.999_999)))
                guard gap < attempts else { break }
                k += 1 + gap
            }
            return events
        }
    }
}
