import Foundation
import Testing
import IonLink
import IonLinkPhysics
@testable import IonLinkSimulation

@Suite struct AttemptLoopTests {
    /// Simulated success probability within 3σ of ½·η_A·η_B across η from 10⁻³ to 0.5, both encodings.
    @Test(arguments: PhotonEncoding.allCases, [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 0.5])
    func successProbabilityMatchesAnalytic(encoding: PhotonEncoding, eta: Double) async throws {
        let models = Fixture.models(eta: eta, encoding: encoding)
        let analytic = 0.5 * eta * eta
        #expect(abs(models[3].heraldProbability - analytic) < 1e-12 * max(1, analytic))
        let world = SimulatedWorld(seed: UInt64(eta * 1e6) + (encoding == .timeBin ? 1 : 0))
        let loop = Fixture.loop(models, world: world, encoding: encoding)
        var attempts: Int64 = 0, heralds = 0, psiMinus = 0
        let target = 20_000
        while heralds < target {
            let r = try await loop.runBurst(maxAttempts: 1_000_000)
            attempts += r.attempts
            if let h = r.herald {
                heralds += 1
                if h.pattern.state == .psiMinus { psiMinus += 1 }
                #expect(h.tags.count == 2)
            }
        }
        let p = Double(heralds) / Double(attempts)
        // Relative standard error of a geometric-waiting estimate: ≈ 1/√heralds.
        let sigma = analytic * (1 - analytic).squareRoot() / Double(heralds).squareRoot()
        #expect(abs(p - analytic) < 3 * sigma, "p = \(p), analytic = \(analytic)")
        // Half the heralds are ψ⁻ (binomial, 4σ).
        let fraction = Double(psiMinus) / Double(heralds)
        let bound: Double = 4 * 0.5 / Double(heralds).squareRoot()
        #expect(abs(fraction - 0.5) < bound)
        // Virtual time advanced by exactly attempts × period.
        #expect(world.clock.nowPicoseconds == attempts * 1_000_000)
    }

    /// The optics → budget path: a time-bin link built from real chain stages gives ½·η_A·η_B.
    @Test(arguments: PhotonEncoding.allCases, [1e-3, 1e-2, 0.1, 0.3])
    func budgetChainGivesAnalyticProbability(encoding: PhotonEncoding, eta: Double) throws {
        let budget = try Fixture.budget(eta: eta, encoding: encoding)
        #expect(abs(budget.chainA.total.value - eta) < 1e-9)
        #expect(budget.psiPlusVisible)
        #expect(abs(budget.model.heraldProbability - 0.5 * eta * eta) < 1e-12)
    }

    /// Event skipping against the attempt-by-attempt reference: herald probability, pattern mix and the
    /// number of attempts to an ion loss agree within their statistics.
    @Test func skippingAgreesWithPerAttemptReference() async throws {
        let models = Fixture.models(eta: 0.05, encoding: .polarization, darkClick: 1e-4)
        func measure(skipping: Bool) async throws -> (p: Double, psiMinus: Double, attemptsToLoss: Double) {
            var heralds = 0, psiMinus = 0
            var attempts: Int64 = 0
            let world = SimulatedWorld(seed: skipping ? 100 : 200)
            let loop = Fixture.loop(models, world: world, encoding: .polarization)
            while heralds < 4_000 {
                let r = skipping ? try await loop.runBurst(maxAttempts: 10_000) : try await loop.runBurstWithoutSkipping(maxAttempts: 10_000)
                attempts += r.attempts
                if let h = r.herald { heralds += 1; if h.pattern.state == .psiMinus { psiMinus += 1 } }
            }
            // Attempts until the first loss, averaged over fresh worlds.
            var toLoss: Int64 = 0
            for seed in 0..<200 {
                let w = SimulatedWorld(seed: UInt64(seed) + (skipping ? 1_000 : 2_000))
                let lossy = Fixture.loop(Fixture.models(eta: 0, encoding: .polarization), world: w, encoding: .polarization, loss: 1e-3)
                while w.withState({ $0.losses[0] == 0 }) {
                    let r = skipping ? try await lossy.runBurst(maxAttempts: 1) : try await lossy.runBurstWithoutSkipping(maxAttempts: 1)
                    toLoss += r.attempts
                }
            }
            return (Double(heralds) / Double(attempts), Double(psiMinus) / Double(heralds), Double(toLoss) / 200)
        }
        let fast = try await measure(skipping: true), slow = try await measure(skipping: false)
        let p = models[3].heraldProbability
        for m in [fast, slow] {
            #expect(abs(m.p - p) < 3.5 * p / 4_000.0.squareRoot(), "p \(m.p) vs \(p)")
            #expect(abs(m.psiMinus - 0.5) < 3.5 * 0.5 / 4_000.0.squareRoot())
            // Geometric mean 1/p_loss = 1000 attempts, standard deviation ≈ 1000/√200.
            #expect(abs(m.attemptsToLoss - 1_000) < 3.5 * 1_000 / 200.0.squareRoot(), "attempts to loss \(m.attemptsToLoss)")
        }
    }

    @Test func sameSeedSameBits() async throws {
        func run(_ seed: UInt64) async throws -> [BurstResult] {
            let budget = try Fixture.budget(eta: 0.05, encoding: .polarization, dark: 100)
            let loop = Fixture.loop(budget, world: SimulatedWorld(seed: seed), encoding: .polarization, loss: 1e-6)
            var out: [BurstResult] = []
            for _ in 0..<500 { out.append(try await loop.runBurst(maxAttempts: 5_000)) }
            return out
        }
        let a = try await run(9), b = try await run(9), c = try await run(10)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func ionLossStopsHeraldsUntilReload() async throws {
        let budget = try Fixture.budget(eta: 0.1, encoding: .polarization)
        let world = SimulatedWorld(seed: 3)
        let loop = Fixture.loop(budget, world: world, encoding: .polarization, loss: 1e-3)
        var heraldsAfterLoss = 0
        for _ in 0..<200 {
            let r = try await loop.runBurst(maxAttempts: 10_000)
            let lost = world.withState { !$0.ionPresent[0] || !$0.ionPresent[1] }
            if lost, r.herald != nil, world.withState({ !$0.ionPresent[0] && !$0.ionPresent[1] }) { heraldsAfterLoss += 1 }
        }
        let losses = world.withState { $0.losses }
        #expect(losses[0] == 1 && losses[1] == 1, "each ion is lost once and stays lost")
        // With both ions gone and no dark counts nothing can herald.
        let r = try await loop.runBurst(maxAttempts: 10_000_000)
        #expect(r.herald == nil && r.attempts == 10_000_000)
        #expect(heraldsAfterLoss == 0)
    }

    @Test func heraldedStateMatchesPattern() async throws {
        let budget = try Fixture.budget(eta: 0.2, encoding: .polarization)
        let world = SimulatedWorld(seed: 5)
        let loop = Fixture.loop(budget, world: world, encoding: .polarization)
        for _ in 0..<50 {
            guard let h = try await loop.runBurst(maxAttempts: 1_000_000).herald else { continue }
            let state = try #require(world.withState { $0.ionPairState })
            #expect(abs(state.fidelity(with: h.pattern.state) - 1) < 1e-12)
            #expect(Set(h.tags.map(\.channel)) == [Int32(h.pattern.first.index), Int32(h.pattern.second.index)])
        }
    }

    /// A burst longer than the lab clock can count (the fuzzer sent 2⁶⁰ attempts through gRPC) is cut where the clock
    /// and its tags still fit, instead of overflowing: with no herald possible it ends there, the clock inside Int64.
    @Test func aBurstPastTheClocksRangeIsCutNotOverflowed() async throws {
        let models = Fixture.models(eta: 0, encoding: .polarization)
        let world = SimulatedWorld(seed: 9)
        let loop = Fixture.loop(models, world: world, encoding: .polarization)
        let r = try await loop.runBurst(maxAttempts: .max)
        #expect(r.herald == nil)
        #expect(r.attempts == Int64.max / 2 / 1_000_000, "attempts up to half the clock's range at 1 µs each")
        #expect(world.clock.nowPicoseconds == r.attempts * 1_000_000)
        let next = try await loop.runBurst(maxAttempts: .max)
        #expect(next.attempts == 0, "the clock is at the end of its range: no more attempts")
    }
}
