import Foundation
import Logging
import Testing
import IonLink
import IonLinkPhysics
import IonLinkSimulation
@testable import IonLinkSequencer

@Suite struct HeraldingSequencerTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    func config(_ edit: (inout LabConfig) -> Void = { _ in }) throws -> LabConfig {
        var c = try LabConfig.parse(yaml: LabConfig.defaultYAML(), speciesKeys: Species.presets.keys.sorted())
        edit(&c)
        return c
    }

    func run(_ c: LabConfig, seed: UInt64, _ stop: StopCondition) async throws -> (RunResult, SimulatedLab) {
        let lab = try SimulatedLab(config: c, seed: seed, logger: logger)
        let seq = HeraldingSequencer(lab: lab.lab, settings: SequencerSettings(timing: c.timing), logger: logger)
        return (try await seq.run(until: stop), lab)
    }

    @Test func verifiedFidelityAgreesWithExactModel() async throws {
        let c = try config { c in
            for i in 0..<2 { c.nodes[i].trap.readoutFidelity = .one }
        }
        let (r, lab) = try await run(c, seed: 11, StopCondition(heralds: 6_000))
        #expect(r.heralds == 6_000)
        let est = try #require(r.verification.fidelityEstimate())
        let exact = lab.budget.model.meanFidelity
        #expect(abs(est.fidelity - exact) < est.halfWidth * 1.5, "estimated \(est.fidelity) ± \(est.halfWidth), exact \(exact)")
        #expect(r.verification.shots[.x] == 2_000 && r.verification.shots[.y] == 2_000 && r.verification.shots[.z] == 2_000)
        // Measured success probability against the exact model, 3σ.
        let p = lab.budget.model.heraldProbability
        let sigma = p / Double(r.heralds).squareRoot()
        #expect(abs(r.successProbability - p) < 3 * sigma)
    }

    /// A converted link (493 → 780 nm, Raman noise, polarization error, 2 km of fiber each): the run's success
    /// probability within 3σ of the exact model and its verified fidelity within its interval (×1.5), the
    /// model's fidelity well below the same link's without conversion errors.
    @Test func convertedLinkAgreesWithExactModel() async throws {
        func converted(noise: Double, fidelity: Double) throws -> LabConfig {
            try config { c in
                for i in 0..<2 {
                    c.nodes[i].trap.readoutFidelity = .one
                    c.nodes[i].fiberLength = .meters(2000)
                    c.nodes[i].fiberAttenuation = .dBPerKm(3.5)
                    c.nodes[i].conversion = [ConversionStageConfig(
                        outputWavelength: .nanometers(780), pumpWavelength: .nanometers(1343.9), pumpPower: .milliwatts(400),
                        maxPumpPower: .milliwatts(500), peakEfficiency: Probability(unchecked: 0.7), peakPumpPower: .milliwatts(400),
                        couplingIn: Probability(unchecked: 0.8), couplingOut: Probability(unchecked: 0.8),
                        filterTransmission: Probability(unchecked: 0.9), noisePerPumpMilliwatt: noise,
                        polarizationFidelity: Probability(unchecked: fidelity))]
                }
            }
        }
        let c = try converted(noise: 150, fidelity: 0.95)
        let (r, lab) = try await run(c, seed: 19, StopCondition(heralds: 6_000))
        let clean = try LabModel(config: converted(noise: 0, fidelity: 1)).budget.model
        let exact = lab.budget.model.meanFidelity
        #expect(exact < clean.meanFidelity - 0.05, "exact \(exact), without conversion errors \(clean.meanFidelity)")
        let est = try #require(r.verification.fidelityEstimate())
        #expect(abs(est.fidelity - exact) < est.halfWidth * 1.5, "estimated \(est.fidelity) ± \(est.halfWidth), exact \(exact)")
        let p = lab.budget.model.heraldProbability
        #expect(p > clean.heraldProbability * 1.01, "noise heralds: \(p) vs \(clean.heraldProbability)")
        #expect(abs(r.successProbability - p) < 3 * p / Double(r.heralds).squareRoot())
    }

    @Test func rateAccountsForEveryStep() async throws {
        let c = try config()
        let (r, lab) = try await run(c, seed: 2, StopCondition(labTime: .seconds(2)))
        let t = r.time
        #expect(t.total >= .seconds(2))
        #expect(t.attempting == lab.attemptPeriod * Int(r.attempts))
        #expect(t.cooling == c.timing.cool * r.bursts)
        #expect(t.verifying == c.nodes[0].trap.readoutDuration * (2 * r.heralds))
        #expect(r.heraldRate > 0 && r.time.dutyCycle > 0.2 && r.time.dutyCycle < 0.8)
    }

    @Test func stopsAtTheAttemptLimitExactly() async throws {
        let (r, _) = try await run(try config(), seed: 3, StopCondition(attempts: 123_457))
        #expect(r.attempts == 123_457)
    }

    @Test func sameSeedSameRun() async throws {
        let c = try config()
        let (a, _) = try await run(c, seed: 5, StopCondition(attempts: 2_000_000))
        let (b, _) = try await run(c, seed: 5, StopCondition(attempts: 2_000_000))
        let (d, _) = try await run(c, seed: 6, StopCondition(attempts: 2_000_000))
        #expect(a == b)
        #expect(a != d)
    }

    @Test func lostIonsAreFoundAndReloaded() async throws {
        let c = try config { c in
            for i in 0..<2 { c.nodes[i].lossProbabilityPerAttempt = Probability(unchecked: 2e-6) }
            c.timing.ionCheckEveryBursts = 5
        }
        let (r, lab) = try await run(c, seed: 8, StopCondition(attempts: 20_000_000))
        let losses = lab.world.withState { $0.losses.reduce(0, +) }
        #expect(losses > 5)
        #expect(r.ionLossesDetected >= losses - 2, "every loss but the last few is found")
        #expect(r.reloads == r.ionLossesDetected)
        #expect(r.time.loading > .zero)
    }

    @Test func latchedDetectorIsRecovered() async throws {
        let c = try config { c in c.hub.detector.bias = .microamperes(14.5) } // above the 14 µA switching current
        let (r, lab) = try await run(c, seed: 4, StopCondition(heralds: 50))
        #expect(r.latchRecoveries == lab.lab.detectors.count)
        for d in lab.lab.detectors { #expect(try await d.bias() < .microamperes(14)) }
        #expect(r.heralds == 50)
    }

    @Test func noStopConditionIsAnError() async throws {
        await #expect(throws: SequencerError.self) { _ = try await self.run(try self.config(), seed: 1, StopCondition()) }
    }
}

@Suite struct TimeBinAndTaggerTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    func timeBinConfig() throws -> LabConfig {
        var text = try LabConfig.defaultYAML()
        text = text.replacingOccurrences(of: "encoding: polarization", with: "encoding: time-bin")
        text = text.replacingOccurrences(of: "channels: { c0: 0, c1: 1, d0: 2, d1: 3 }", with: "channels: { c0: 0, c1: 0, d0: 1, d1: 1 }")
        var c = try LabConfig.parse(yaml: text, speciesKeys: Species.presets.keys.sorted())
        for i in 0..<2 { c.nodes[i].trap.readoutFidelity = .one }
        return c
    }

    @Test func timeBinRunHeraldsBothStatesAndVerifies() async throws {
        let c = try timeBinConfig()
        let lab = try SimulatedLab(config: c, seed: 21, logger: logger)
        #expect(lab.budget.psiPlusVisible)
        // Time-bin attempts are longer: two excitations one bin apart.
        #expect(lab.attemptPeriod > c.timing.pump + c.timing.excite * 2 + c.hub.timeBinSeparation)
        let r = try await HeraldingSequencer(lab: lab.lab, settings: SequencerSettings(timing: c.timing), logger: logger)
            .run(until: StopCondition(heralds: 3_000))
        #expect(r.rejectedHeralds == 0)
        let plus = Double(r.heralds(of: .psiPlus)) / Double(r.heralds)
        #expect(abs(plus - 0.5) < 4 * 0.5 / Double(r.heralds).squareRoot())
        let est = try #require(r.verification.fidelityEstimate())
        #expect(abs(est.fidelity - lab.budget.model.meanFidelity) < 1.5 * est.halfWidth)
    }

    @Test func taggerStreamsTheHeraldingClicks() async throws {
        let c = try timeBinConfig()
        let lab = try SimulatedLab(config: c, seed: 22, logger: logger)
        let stream = try await lab.tagger.startStreaming()
        let collector = Task {
            var tags: [TimeTag] = []
            for await batch in stream { tags += batch.tags }
            return tags
        }
        let r = try await HeraldingSequencer(lab: lab.lab, settings: SequencerSettings(timing: c.timing), logger: logger)
            .run(until: StopCondition(heralds: 200))
        await lab.tagger.stopStreaming()
        let tags = await collector.value
        #expect(tags.count == 3 * r.heralds, "the sync and two clicks per herald")
        #expect(Set(tags.map(\.channel)) == [0, 1, c.hub.syncChannel])
        #expect(zip(tags, tags.dropFirst()).allSatisfy { $0.picoseconds <= $1.picoseconds }, "tags arrive in time order")
        await #expect(throws: TimeTaggerError.self) {
            _ = try await lab.tagger.startStreaming()
            _ = try await lab.tagger.startStreaming()
        }
    }
}
