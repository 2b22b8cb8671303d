import Foundation
import IonLink
import IonLinkPhysics
import IonLinkSimulation

extension EmulatedWorld {
    /// `node`'s qubit drive is on at `phase` (an analysis π/2 pulse precedes each readout), or off (nil).
    public func setQubitDrive(node: Int, phase: Angle?) {
        state.withLock { $0.drive[node] = phase }
    }

    /// One readout of `node`'s ion over a counter gate: the analysis pulse (if the drive is on) picks the
    /// axis, the outcome is drawn from the two ions' heralded state by the Born rule and the state
    /// collapses (the other ion's later readout sees it); a bright ion (|0⟩ after the pulse) scatters at the
    /// trap's ion count rate, and stray light reaches the counter at its background rate, each a
    /// Poisson process over the gate (the counts' physics is ``ThresholdReadout``'s).
    func readout(node: Int, gatePicoseconds gate: Int64, input: UInt8) -> [TimestampEvent] {
        guard gate > 0 else { return [] }
        let trap = config.nodes[node].trap
        let phase = state.withLock { s -> Angle? in
            s.tally.readouts[node] += 1
            return s.drive[node]
        }
        return world.withState { w -> [TimestampEvent] in
            let pair = w.ionPairState ?? DensityMatrix4.maximallyMixed
            let bright: DensityMatrix4, dark: DensityMatrix4
            if let phase {
                let alpha = AnalysisPulse.measuredAxis(drivePhase: phase).radians
                bright = pair.projected(qubit: node, equatorialAxis: alpha, outcome: 0)
                dark = pair.projected(qubit: node, equatorialAxis: alpha, outcome: 1)
            } else {
                bright = pair.projected(qubit: node, basis: .z, outcome: 0)
                dark = pair.projected(qubit: node, basis: .z, outcome: 1)
            }
            let isBright = w.rng.nextUnit() < bright.trace / pair.trace
            w.ionPairState = (isBright ? bright : dark).normalized
            let rate = (isBright ? trap.ionCountRate.hertz : 0) + trap.backgroundCountRate.hertz
            let n = w.rng.poisson(mean: rate * Double(gate) * 1e-12)
            // Poisson arrivals over the gate: n uniform times, in order.
            return (0..<n).map { _ in Int64(w.rng.nextUnit() * Double(gate)) }.sorted().map { TimestampEvent(picoseconds: $0, inputs: input) }
        }
    }
}
