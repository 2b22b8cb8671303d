import Logging
import Numerics
import Testing
import IonLink
import IonLinkPhysics
import IonLinkSimulation
import IonLinkSequencer

/// ``ReadoutBias`` against the simulated traps reading out a known two-ion state shot by shot (Born rule,
/// collapse and readout flips in `SimulatedTrapController`), tallied as a run tallies its verifications.
@Suite struct ReadoutBiasTests {
    func verified(werner p: Double, readoutA: Probability, readoutB: Probability, shots: Int) async throws -> (fidelity: Double, halfWidth: Double) {
        let world = SimulatedWorld(seed: 21)
        let r = 1 / 2.0.squareRoot()
        let psiMinus = DensityMatrix4(pure: [.zero, Complex(r), Complex(-r), .zero])
        let state = p * psiMinus + (1 - p) * DensityMatrix4.maximallyMixed
        let logger = Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }
        let traps = [readoutA, readoutB].enumerated().map { node, f in
            SimulatedTrapController(name: "t\(node)", node: node, world: world, electrodeCount: 1, electrodeLimit: SetpointLimit(.zero, .volts(1)),
                rf: RFDrive(frequency: .megahertz(20), amplitude: .volts(100)), rfAmplitudeLimit: SetpointLimit(.zero, .volts(300)),
                                    imaging: TrapImaging(ionCountRate: .hertz(1), backgroundRate: .zero, readoutFidelity: f,
                                                         readoutDuration: .microseconds(1), meanLoadTime: .seconds(1)),
                                    logger: logger)
        }
        var tally = VerificationTally()
        for shot in 0..<shots {
            world.withState { $0.ionPairState = state }
            let basis = PauliBasis.allCases[shot % 3]
            let a = try await traps[0].measureQubit(in: basis), b = try await traps[1].measureQubit(in: basis)
            tally.record(basis: basis, state: .psiMinus, eigenvalueA: a, eigenvalueB: b)
        }
        return try #require(tally.fidelityEstimate())
    }

    @Test func verifiedFidelityIsTheTrueOneShrunkByReadoutError() async throws {
        let p = 0.8, trueF = p + (1 - p) / 4
        let fA = Probability(unchecked: 0.97), fB = Probability(unchecked: 0.9)
        let expected = ReadoutBias.expectedVerifiedFidelity(trueF, readoutA: fA, readoutB: fB)
        #expect(abs(expected - 0.7012) < 1e-12, "¼ + 0.94·0.8·0.6")
        let measured = try await verified(werner: p, readoutA: fA, readoutB: fB, shots: 60_000)
        #expect(abs(measured.fidelity - expected) < 2 * measured.halfWidth, "\(measured) vs \(expected)")
        // Perfect readout measures the true fidelity; the biased expectation is then far outside the interval.
        let perfect = try await verified(werner: p, readoutA: .one, readoutB: .one, shots: 60_000)
        #expect(abs(perfect.fidelity - trueF) < 2 * perfect.halfWidth && abs(perfect.fidelity - expected) > 10 * perfect.halfWidth)
    }
}
