import Logging
import Testing
import IonLink
import IonLinkPhysics
import IonLinkSequencer
import IonLinkSimulation

/// The lab script of docs/lab-scripts.md, verbatim between the markers, so the example cannot rot
/// (nothing compares the two automatically: change both together).
@Suite struct LabScriptExampleTests {
    @Test func readmeLabScriptRuns() async throws {
        // README-BEGIN
        let config = try LabConfig.parse(yaml: LabConfig.defaultYAML(), speciesKeys: Array(Species.presets.keys))
        let lab = try SimulatedLab(config: config, seed: 42, logger: Logger(label: "lab"))
        let excitation = lab.lab.nodes[0].excitation
        try await excitation.setPower(.milliwatts(3))            // refused above max_power_mw
        print("η_A =", lab.budget.chainA.total, "V =", lab.budget.visibility)

        let sequencer = HeraldingSequencer(lab: lab.lab, settings: SequencerSettings(timing: config.timing),
                                           logger: Logger(label: "sequencer"))
        let run = try await sequencer.run(until: StopCondition(heralds: 1_000))
        let (fidelity, ci) = run.verification.fidelityEstimate()!
        print("\(run.heralds) heralds in \(run.attempts) attempts,",
              "\(run.heraldRate) /s of lab time, F = \(fidelity) ± \(ci)")
        print("exact model: P =", lab.budget.model.heraldProbability, "F =", lab.budget.model.meanFidelity)
        // README-END
        #expect(run.heralds == 1_000)
        #expect(abs(fidelity - lab.budget.model.meanFidelity) < 0.05)
    }
}
