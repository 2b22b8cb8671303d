import Foundation
import Testing
import IonLink
@testable import IonLinkPhysics

/// The ion–photon model against independent computations: tomography correlators enumerated outcome by outcome from
/// the Werner state's analytic correlations, the closed-form background-only fidelity, its limits, and multiplexing.
@Suite struct IonPhotonModelTests {
    func model(eta: Double, dark: Double, source: Double, conversion: Double, modes: Int = 1) -> IonPhotonModel {
        IonPhotonModel(photonPerMode: Probability(unchecked: eta), darkPerDetector: Probability(unchecked: dark),
                       sourceFidelity: Probability(unchecked: source), depolarization: Probability(unchecked: conversion), modes: modes)
    }

    /// One mode measured in each basis, every outcome enumerated: the photon reaches the detector of its eigenvalue
    /// (joint law of ion and photon for a Werner ψ⁺ with correlation c: P(a, b) = (1 + s·c·a·b)/4, s the ψ⁺ sign of the
    /// basis) and the other detector must stay dark; or it is lost and one dark count picks a detector at random, the
    /// ion uniform. Returns the herald probability and F = (1 + Σ_b s_b⟨ab⟩)/4.
    func enumerated(eta: Double, dark: Double, source: Double, conversion: Double) -> (p: Double, f: Double) {
        let c = (1 - 4 * (1 - source) / 3) * (1 - conversion)
        var p = 0.0, fidelity = 1.0
        for sign in [1.0, 1.0, -1.0] {   // ψ⁺: ⟨XX⟩ = ⟨YY⟩ = +1, ⟨ZZ⟩ = −1
            var total = 0.0, correlation = 0.0
            for a in [1.0, -1.0] {
                for b in [1.0, -1.0] {
                    let w = eta * (1 + sign * c * a * b) / 4 * (1 - dark) + (1 - eta) * 0.5 * dark * (1 - dark)
                    total += w
                    correlation += sign * a * b * w
                }
            }
            p = total
            fidelity += correlation / total
        }
        return (p, fidelity / 4)
    }

    @Test func stateAgreesWithTomographyEnumeratedOutcomeByOutcome() {
        for eta in [1e-4, 5e-3, 0.3] { for dark in [0.0, 1e-5, 1e-3] { for source in [0.9, 0.97, 1.0] { for conversion in [0.0, 0.05] {
            let m = model(eta: eta, dark: dark, source: source, conversion: conversion)
            let e = enumerated(eta: eta, dark: dark, source: source, conversion: conversion)
            #expect(abs(m.modeHeraldProbability - e.p) < 1e-15 + 1e-12 * e.p)
            #expect(abs(m.fidelity - e.f) < 1e-12, "η \(eta) p_d \(dark) F_src \(source) p_c \(conversion)")
        }}}}
    }

    @Test func fidelityIsTheBackgroundOnlyClosedForm() {
        let (eta, dark, source, conversion) = (6.3e-4, 5e-5, 0.949, 0.0133)
        let m = model(eta: eta, dark: dark, source: source, conversion: conversion)
        let signal = eta * (1 - dark), background = 2 * dark * (1 - dark) * (1 - eta)
        let fSignal = (1 - conversion) * source + conversion / 4
        #expect(abs(m.modeHeraldProbability - (signal + background)) < 1e-18)
        #expect(abs(m.fidelity - (signal * fSignal + background / 4) / (signal + background)) < 1e-12)
    }

    @Test func limits() {
        // No background: the source's fidelity through the converter; no photon: a random click, F = ¼.
        #expect(abs(model(eta: 0.01, dark: 0, source: 0.95, conversion: 0).fidelity - 0.95) < 1e-12)
        #expect(abs(model(eta: 0, dark: 1e-3, source: 0.95, conversion: 0).fidelity - 0.25) < 1e-12)
        // A fully depolarizing converter leaves nothing of the entanglement.
        #expect(abs(model(eta: 0.01, dark: 0, source: 1, conversion: 1).fidelity - 0.25) < 1e-12)
        #expect(model(eta: 0, dark: 0, source: 1, conversion: 0).heraldProbability == 0)
    }

    @Test func multiplexedAttemptsHeraldOnAnyMode() {
        let one = model(eta: 7e-4, dark: 5e-5, source: 0.95, conversion: 0)
        let three = model(eta: 7e-4, dark: 5e-5, source: 0.95, conversion: 0, modes: 3)
        // Mode by mode: the first mode heralds, or the first fails and the second heralds, or both fail and the third does.
        let p = one.modeHeraldProbability
        #expect(abs(three.heraldProbability - (p + (1 - p) * p + (1 - p) * (1 - p) * p)) < 1e-15)
        #expect(abs(three.photonProbability - (1 - pow(1 - 7e-4, 3))) < 1e-15)
        #expect(three.fidelity == one.fidelity)
        // For small p the gain is N: 3 modes herald very nearly three times as often.
        #expect(abs(three.heraldProbability / one.heraldProbability - 3) < 0.01)
    }
}
