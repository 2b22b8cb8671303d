import Foundation
import IonLink
import IonLinkAssembly
import IonLinkPhysics

/// The summary of an ion–photon run (`link.kind: ion_photon`), beside what the lab's exact model expects
/// (docs/run.md, "Ion–photon links").
struct IonPhotonSummary: Sendable {
    let lab: IonPhotonLabModel
    let result: IonPhotonRunResult
    let seed: UInt64

    /// Heralds per attempt with the model's background share taken off: the photon's detection probability, as labs
    /// quote it after subtracting the counts they record far outside the window.
    var photonProbability: Double { max(0, result.heraldProbability - lab.model.backgroundProbability) }

    var bound: RepeaterlessBound {
        RepeaterlessBound(attemptRate: lab.attemptTiming.rate.hertz, channel: lab.channelTransmissivity, wholePath: lab.model.photonProbability)
    }

    var fields: [String: Any] {
        let m = lab.model, t = lab.attemptTiming, fidelity = result.tally.fidelityEstimate()
        return [
            "lab": lab.config.name, "link": "ion_photon", "seed": seed, "modes": m.modes,
            "attempts": result.attempts, "heralds": result.heralds, "lab_time_s": result.labTime.inSeconds,
            "herald_probability": result.heraldProbability, "herald_probability_stderr": result.heraldProbabilityError,
            "herald_probability_model": m.heraldProbability,
            "photon_probability": photonProbability, "photon_probability_model": m.photonProbability,
            "photon_per_mode_model": m.photonPerMode.value, "background_probability_model": m.backgroundProbability,
            "herald_rate_per_s": result.heraldRate, "herald_rate_attempting_per_s": result.heraldRateWhileAttempting,
            "herald_rate_attempting_model_per_s": lab.heraldRateWhileAttempting,
            "attempt_period_us": t.period.inSeconds * 1e6, "attempt_rate_hz": t.rate.hertz,
            "herald_round_trip_us": t.heraldRoundTrip.inSeconds * 1e6, "attempt_limited_by": t.limit.rawValue,
            "fidelity_estimated": fidelity?.fidelity ?? NSNull(), "fidelity_ci95": fidelity?.halfWidth ?? NSNull(),
            "fidelity_model": m.fidelity, "fidelity_model_after_readout": lab.expectedVerifiedFidelity,
            "noise_clicks_per_detector_hz": lab.noiseClickRatePerDetector.hertz,
            "channel_transmissivity": lab.channelTransmissivity,
            "plob_bound_ebits_per_s": bound.channelRate.isFinite ? bound.channelRate : NSNull(),
        ]
    }

    func json() throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: fields, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    }

    func text() -> String {
        func f(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)g", x) }
        let m = lab.model, t = lab.attemptTiming
        var lines = [
            "lab            \(lab.config.name) (ion–photon link, \(m.modes) mode\(m.modes == 1 ? "" : "s") per attempt), seed \(seed)",
            "attempts       \(result.attempts)",
            "heralds        \(result.heralds)",
            "P(herald)      \(f(result.heraldProbability)) ± \(f(result.heraldProbabilityError, 2)) per attempt; "
                + "exact model \(f(m.heraldProbability))",
            "P(photon)      \(f(photonProbability)) per attempt, background subtracted; model \(f(m.photonProbability)) "
                + "(η = \(f(m.photonPerMode.value)) per mode)",
            "herald rate    \(f(result.heraldRate)) /s of lab time (\(f(result.labTime.inSeconds)) s); \(f(result.heraldRateWhileAttempting)) /s "
                + "while attempting (model \(f(lab.heraldRateWhileAttempting)))",
            "  attempt      \(f(t.period.inSeconds * 1e6)) µs, of which \(f(t.heraldRoundTrip.inSeconds * 1e6)) µs the photon's way and the "
                + "herald's; the rate is bounded by the \(t.limit.rawValue)",
        ]
        if let (fe, ci) = result.tally.fidelityEstimate() {
            lines.append("fidelity       \(f(fe)) ± \(f(ci, 2)) (95 %, ion–photon tomography of \(result.heralds) heralds)")
        } else {
            lines.append("fidelity       not estimated (needs a herald in each of Z, X, Y)")
        }
        lines.append("  exact model  \(f(m.fidelity)); \(f(lab.expectedVerifiedFidelity)) as measured through the ion's readout")
        lines.append("bound          PLOB \(f(bound.channelRate)) ebits/s over the fiber (T = \(f(lab.channelTransmissivity, 3)))")
        return lines.joined(separator: "\n")
    }
}
