import Foundation
import Testing
import IonLink
import IonLinkNetwork

/// The switched-network simulation against analytic limits: a direct link's rate and fidelity, a
/// two-hop chain's swapped fidelity under memory decoherence (checked against a brute-force sum), cost
/// per herald, and a 64-trap network.
@Suite struct NetworkSimulatorTests {
    func parameters(nodes: Int, hubs: Int, p: Double, tau: Duration = .seconds(1_000_000), switchTime: Duration = .zero,
                    fidelity: Double = 0.97) -> NetworkParameters {
        NetworkParameters(nodes: nodes, hubs: hubs, attemptPeriod: .microseconds(1), successProbability: p, heraldedFidelity: fidelity,
                          memoryCoherence: tau, switchTime: switchTime, swapFidelity: 1, swapDuration: .zero)
    }

    @Test func directLinkRateIsOneOverSwitchPlusMeanAttemptsAndFidelityIsTheHeraldedOne() {
        let sim = NetworkSimulator(parameters: parameters(nodes: 2, hubs: 1, p: 0.01, switchTime: .microseconds(10)),
                                   requests: [NetworkRequest(path: [0, 1])])
        let r = sim.run(labTime: .seconds(10), seed: 3)
        // Each delivery takes the switch time plus T·Geom(p) attempts: mean 10 µs + 100 µs.
        let expected = 1 / 110e-6
        let pair = r.pairs[0]
        let cv = (0.99).squareRoot() * 100e-6 / 110e-6   // σ/mean of one delivery's time
        #expect(abs(pair.rate - expected) < 4 * cv * expected / Double(pair.delivered).squareRoot(), "\(pair.rate) vs \(expected)")
        #expect(abs(pair.meanFidelity - 0.97) < 1e-12 && pair.fidelityStderr < 1e-9, "delivered at once: no decay")
        #expect(r.events == pair.delivered, "one event per herald")
    }

    /// Links that differ by hop (`hopLinks`, e.g. one between buildings and one inside): a direct link takes its hop's
    /// link, not the base one (rate 1/(switch + T/p)); a two-hop chain without decay delivers w₁·w₂.
    @Test func eachHopTakesItsOwnLink() {
        var direct = parameters(nodes: 2, hubs: 1, p: 0.5, switchTime: .microseconds(10))
        direct.hopLinks = [ElementaryLink(attemptPeriod: .microseconds(1), successProbability: 0.01, heraldedFidelity: 0.9)]
        let pair = NetworkSimulator(parameters: direct, requests: [NetworkRequest(path: [0, 1])]).run(labTime: .seconds(10), seed: 3).pairs[0]
        let expected = 1 / 110e-6, cv = (0.99).squareRoot() * 100e-6 / 110e-6
        #expect(abs(pair.rate - expected) < 4 * cv * expected / Double(pair.delivered).squareRoot(), "\(pair.rate) vs \(expected)")
        #expect(abs(pair.meanFidelity - 0.9) < 1e-12)
        var chain = parameters(nodes: 3, hubs: 2, p: 0.5)
        chain.hopLinks = [ElementaryLink(attemptPeriod: .microseconds(100), successProbability: 0.02, heraldedFidelity: 0.95),
                          ElementaryLink(attemptPeriod: .microseconds(1), successProbability: 0.3, heraldedFidelity: 0.8)]
        let r = NetworkSimulator(parameters: chain, requests: [NetworkRequest(path: [0, 1, 2])]).run(labTime: .seconds(2), seed: 5)
        let w = Werner.parameter(fidelity: 0.95) * Werner.parameter(fidelity: 0.8)
        #expect(r.pairs[0].delivered > 100)
        #expect(abs(r.pairs[0].meanFidelity - Werner.fidelity(parameter: w)) < 1e-7, "a 10⁶ s memory barely decays")
        // The slow hop sets the pace: about one delivery per 5 ms (T/p of the first link).
        #expect(abs(r.pairs[0].rate - 200) < 4 * 200 / Double(r.pairs[0].delivered).squareRoot() + 20, "\(r.pairs[0].rate)")
    }

    /// E[w] for two links started together, each after T·Geom(p): w₀²·E[exp(−|n₁ − n₂|T/τ)], with
    /// P(|n₁ − n₂| = 0) = p/(2 − p) and P(= d) = 2p·q^d/(2 − p), so E = p/(2 − p)·(1 + 2r/(1 − r)), r = q·e^{−T/τ}.
    static func expectedSwappedParameter(w0: Double, p: Double, periodOverTau: Double) -> Double {
        let r = (1 - p) * exp(-periodOverTau)
        return w0 * w0 * p / (2 - p) * (1 + 2 * r / (1 - r))
    }

    @Test func swappedFidelityUnderDecoherenceMatchesTheAnalyticExpectation() {
        let p = 0.05, w0 = Werner.parameter(fidelity: 0.97), tOverTau = 1e-6 / 50e-6
        let analytic = Self.expectedSwappedParameter(w0: w0, p: p, periodOverTau: tOverTau)
        // The closed form against a brute-force double sum over both links' attempt counts.
        var brute = 0.0
        for a in 1...2_000 {
            for b in 1...2_000 {
                brute += p * pow(1 - p, Double(a - 1)) * p * pow(1 - p, Double(b - 1)) * exp(-Double(abs(a - b)) * tOverTau)
            }
        }
        #expect(abs(w0 * w0 * brute - analytic) < 1e-9, "\(w0 * w0 * brute) vs \(analytic)")

        let sim = NetworkSimulator(parameters: parameters(nodes: 3, hubs: 2, p: p, tau: .microseconds(50)),
                                   requests: [NetworkRequest(path: [0, 1, 2])])
        let r = sim.run(labTime: .seconds(5), seed: 9)
        let pair = r.pairs[0]
        let expectedF = Werner.fidelity(parameter: analytic)
        #expect(pair.delivered > 50_000)
        #expect(abs(pair.meanFidelity - expectedF) < 4 * pair.fidelityStderr, "\(pair.meanFidelity) ± \(pair.fidelityStderr) vs \(expectedF)")
        #expect(pair.meanFidelity < 0.97 * 0.97, "decoherence and swapping cost fidelity")
        #expect(r.events == 3 * pair.delivered || r.events == 3 * pair.delivered + 1, "two heralds and a swap per delivery")
    }

    @Test func costGrowsWithHeraldsNotAttempts() {
        let fast = NetworkSimulator(parameters: parameters(nodes: 2, hubs: 1, p: 1e-2), requests: [NetworkRequest(path: [0, 1])])
            .run(labTime: .milliseconds(100), seed: 1)
        let slow = NetworkSimulator(parameters: parameters(nodes: 2, hubs: 1, p: 1e-4), requests: [NetworkRequest(path: [0, 1])])
            .run(labTime: .seconds(10), seed: 1)
        // About 1000 heralds each, from 10⁵ and 10⁷ attempts: the same number of events.
        #expect(abs(Double(fast.delivered) - 1000) < 150 && abs(Double(slow.delivered) - 1000) < 150)
        #expect(fast.events == fast.delivered && slow.events == slow.delivered)
        #expect(slow.attempts > 50 * fast.attempts)
    }

    @Test func sixtyFourTrapsThroughEightHubs() {
        let params = parameters(nodes: 64, hubs: 8, p: 5e-4, tau: .milliseconds(500), switchTime: .milliseconds(1))
        let requests = NetworkRequest.randomChains(nodes: 64, hops: 2, seed: 4)
        #expect(requests.count == 21 && Set(requests.flatMap(\.path)).count == 63)
        let a = NetworkSimulator(parameters: params, requests: requests).run(labTime: .seconds(20), seed: 7)
        let b = NetworkSimulator(parameters: params, requests: requests).run(labTime: .seconds(20), seed: 7)
        #expect(a == b, "same seed, same network run")
        #expect(a.pairs.allSatisfy { $0.delivered > 0 && $0.meanFidelity > 0.25 && $0.meanFidelity < 0.97 })
        #expect(a.hubUtilisation > 0.9 && a.hubUtilisation <= 1, "the hubs are the bottleneck: \(a.hubUtilisation)")
    }

    /// The memory cut-off and the scheduler: a stored pair older than the cut-off is discarded, so no
    /// delivered pair is worse than two fresh pairs swapped after one waited the cut-off; its links are
    /// requested again, and partner-first serves them ahead of the queue.
    @Test func cutoffBoundsFidelityAndPartnerFirstKeepsTheRate() {
        let tau = Duration.milliseconds(5), cut = Duration.milliseconds(3)
        let params = parameters(nodes: 64, hubs: 8, p: 5e-4, tau: tau, switchTime: .milliseconds(1))
        let requests = NetworkRequest.randomChains(nodes: 64, hops: 2, seed: 1)
        func run(_ s: LinkScheduling, _ c: Duration?) -> NetworkResult {
            NetworkSimulator(parameters: params, requests: requests, scheduling: s, cutoff: c).run(labTime: .seconds(20), seed: 2)
        }
        let fifo = run(.firstComeFirstServed, nil), partner = run(.partnerFirst, nil)
        // Without a cut-off a chain's links are queued together and served together: the policies agree.
        #expect(fifo == partner)
        #expect(fifo.discarded == 0)
        let fifoCut = run(.firstComeFirstServed, cut), partnerCut = run(.partnerFirst, cut)
        // The worst case: one pair waited the whole cut-off (w₀·e^(−cut/τ)), the other is fresh (w₀).
        let w0 = Werner.parameter(fidelity: 0.97)
        let floor = Werner.fidelity(parameter: w0 * w0 * exp(-cut.inSeconds / tau.inSeconds))
        for r in [fifoCut, partnerCut] {
            #expect(r.discarded > 0)
            #expect(r.pairs.allSatisfy { $0.delivered > 0 && $0.fidelityMin >= floor - 1e-12 }, "floor \(floor)")
            #expect(r.hubUtilisation > 0.99)
        }
        #expect(fifo.pairs.contains { $0.fidelityMin < floor }, "without the cut-off some pairs are worse than the floor")
        let mean = { (r: NetworkResult) in r.pairs.map(\.meanFidelity).reduce(0, +) / Double(r.pairs.count) }
        #expect(mean(partnerCut) > mean(fifo) + 0.05, "the cut-off buys fidelity: \(mean(partnerCut)) vs \(mean(fifo))")
        // Under FIFO a re-requested link waits behind every queued link while its partner decays and is cut
        // off in turn; partner-first serves it next, so far fewer pairs are thrown away and more delivered.
        #expect(Double(partnerCut.delivered) > 1.5 * Double(fifoCut.delivered), "\(partnerCut.delivered) vs \(fifoCut.delivered)")
        #expect(partnerCut.discarded < fifoCut.discarded / 2)
        #expect(mean(partnerCut) >= mean(fifoCut) - 0.005)
    }
}
