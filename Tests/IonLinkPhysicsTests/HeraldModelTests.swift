import Foundation
import Testing
import IonLink
@testable import IonLinkPhysics

@Suite struct HeraldModelTests {
    func node(_ eta: Double, p2: Double = 0) -> NodeEmission {
        NodeEmission(excitation: .one, doubleExcitation: Probability(unchecked: p2), perPhoton: Probability(unchecked: eta))
    }

    @Test(arguments: [1e-3, 1e-2, 0.1, 0.5, 1.0])
    func idealSuccessProbabilityIsHalfEtaSquared(eta: Double) {
        let m = HeraldModel(nodeA: node(eta), nodeB: node(eta * 0.7), visibility: .one, darkClickPerSlot: .zero)
        #expect(abs(m.heraldProbability - 0.5 * eta * eta * 0.7) < 1e-15)
        #expect(abs(m.analyticSuccessProbability - m.heraldProbability) < 1e-15)
        // ψ⁺ and ψ⁻ each take half.
        #expect(abs(m.patternProbabilities[0] + m.patternProbabilities[1] - m.heraldProbability / 2) < 1e-15)
    }

    @Test(arguments: [0.0, 0.3, 0.8, 0.95, 1.0])
    func fidelityIsOnePlusVOverTwoWithoutNoise(v: Double) {
        let m = HeraldModel(nodeA: node(0.05), nodeB: node(0.05), visibility: Probability(unchecked: v), darkClickPerSlot: .zero)
        #expect(abs(m.meanFidelity - (1 + v) / 2) < 1e-12)
        for (i, p) in HeraldPattern.all.enumerated() {
            let rho = m.state(for: i)
            #expect(abs(rho.trace - 1) < 1e-12)
            #expect(abs(rho.fidelity(with: p.state) - (1 + v) / 2) < 1e-12)
        }
    }

    @Test func darkCountDominatedLimitIsMaximallyMixed() {
        // No photons at all: every herald is two dark counts and the ions are I/4 (F = 1/4).
        let m = HeraldModel(nodeA: node(0), nodeB: node(0), visibility: .one, darkClickPerSlot: Probability(unchecked: 1e-4))
        #expect(abs(m.meanFidelity - 0.25) < 1e-12)
        // Exactly the two slots click, the other two stay silent.
        #expect(abs(m.heraldProbability - 4 * 1e-8 * pow(1 - 1e-4, 2)) < 1e-20)
        // Fidelity falls monotonically towards 1/4 as dark counts grow.
        var last = 1.0
        for pd in [0.0, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2] {
            let f = HeraldModel(nodeA: node(0.01), nodeB: node(0.01), visibility: .one,
                                darkClickPerSlot: Probability(unchecked: pd)).meanFidelity
            #expect(f <= last + 1e-15)
            #expect(f >= 0.25)
            last = f
        }
    }

    @Test func weakDarkCountsFollowTheFalseHeraldMixture() {
        // Shared notes: F ≈ (P·F₀ + ¼·p_f)/(P + p_f) with p_f ≈ 2·η·p_d per pattern set; to first order in p_d
        // a false herald is one photon plus one dark click, leaving one ion projected and one mixed (F = 1/4).
        let eta = 0.02, pd = 1e-4
        let m = HeraldModel(nodeA: node(eta), nodeB: node(eta), visibility: .one, darkClickPerSlot: Probability(unchecked: pd))
        let p = 0.5 * eta * eta
        // 4 patterns × 2 slots × (a photon from either node, the other lost, in that slot) × a dark click in the other slot
        let pf = 4 * 2 * (2 * eta * (1 - eta) / 4) * pd
        let approx = (p * 1 + 0.25 * pf) / (p + pf)
        #expect(approx < 0.98)
        // Second-order terms (bunched pairs plus a dark click, O(η·p_f)) are left out of the formula.
        #expect(abs(m.meanFidelity - approx) < 1e-3)
    }

    @Test func doubleExcitationLowersFidelity() {
        let clean = HeraldModel(nodeA: node(0.05), nodeB: node(0.05), visibility: .one, darkClickPerSlot: .zero)
        let dirty = HeraldModel(nodeA: node(0.05, p2: 0.05), nodeB: node(0.05, p2: 0.05), visibility: .one, darkClickPerSlot: .zero)
        #expect(dirty.meanFidelity < clean.meanFidelity - 1e-3)
        #expect(dirty.meanFidelity > 0.25)
    }

    @Test func bellStateCorrelatorsAndProjection() {
        let psiMinus = DensityMatrix4(pure: BellState.psiMinus.amplitudes)
        let psiPlus = DensityMatrix4(pure: BellState.psiPlus.amplitudes)
        for b in PauliBasis.allCases {
            #expect(abs(psiMinus.correlator(b) - BellState.psiMinus.idealCorrelator(b)) < 1e-12)
            #expect(abs(psiPlus.correlator(b) - BellState.psiPlus.idealCorrelator(b)) < 1e-12)
            // Marginals are uniform; projections of both outcomes sum to the state's trace.
            let p0 = psiMinus.projected(qubit: 0, basis: b, outcome: 0).trace
            let p1 = psiMinus.projected(qubit: 0, basis: b, outcome: 1).trace
            #expect(abs(p0 - 0.5) < 1e-12 && abs(p0 + p1 - 1) < 1e-12)
            // After A reads +1, B reads the anticorrelated value with certainty (ψ⁻).
            let after = psiMinus.projected(qubit: 0, basis: b, outcome: 0).normalized
            #expect(abs(after.projected(qubit: 1, basis: b, outcome: 1).trace - 1) < 1e-12)
        }
    }
}
