import Foundation
import Testing
import IonLink
@testable import IonLinkPhysics

/// Compares the exact herald model with an independent QuTiP construction (Tests/qutip/heralded_state.py):
/// an explicit Fock-space beam splitter, non-number-resolving click projectors and a partial trace.
/// Needs `python3` with qutip (Tests/requirements.txt); it fails, not skips, without them.
@Suite struct QuTiPCrossCheckTests {
    struct Point: Codable, Sendable {
        var eta_a, eta_b, visibility: Double
        var dark: Double? = nil
        // A frequency converter's figures (FrequencyConversionTests checks them on their own).
        var polarization_fidelity_a, polarization_fidelity_b, dark_rate_hz, noise_a_hz, noise_b_hz: Double?
        var fiber_a, fiber_b, detector_efficiency, window_s, detectors: Double?
    }
    struct Reference: Codable, Sendable { var probabilities, fidelity_psi_plus, fidelity_psi_minus: [Double] }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("qutip/heralded_state.py")

    /// QuTiP's figures for `grid`, from the script on a thread of its own (``onOwnThread(_:)``): the minutes
    /// QuTiP takes must not hold one of the threads every other test's tasks run on.
    func reference(for grid: [Point]) async throws -> [Reference] {
        try await onOwnThread { try Self.referenceBlocking(for: grid) }
    }

    static func referenceBlocking(for grid: [Point]) throws -> [Reference] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Self.script.path]
        // The reference needs no virtual devices: keep umockdev's preload (set for the driver tests) out of it.
        p.environment = ProcessInfo.processInfo.environment.filter { $0.key != "LD_PRELOAD" && $0.key != "UMOCKDEV_DIR" }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = errors
        try p.run()
        input.fileHandleForWriting.write(try JSONEncoder().encode(grid))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw CheckFailure(message: "python3 \(Self.script.path) failed (pip install -r Tests/requirements.txt?): "
                               + String(decoding: err, as: UTF8.self))
        }
        return try JSONDecoder().decode([Reference].self, from: data)
    }

    struct CheckFailure: Error, CustomStringConvertible { var message: String; var description: String { message } }

    @Test func heraldedStateMatchesQuTiP() async throws {
        var grid: [Point] = []
        for (a, b) in [(0.1, 0.05), (0.4, 0.4), (1.0, 1.0), (0.02, 0.3)] {
            for v in [0.5, 0.9, 0.99, 1.0] {
                for d in [0, 1e-5, 1e-4, 1e-2] { grid.append(Point(eta_a: a, eta_b: b, visibility: v, dark: d)) }
            }
        }
        let refs = try await reference(for: grid)
        #expect(refs.count == grid.count)
        var worstFidelity = 0.0, worstProbability = 0.0
        for (pt, ref) in zip(grid, refs) {
            func node(_ eta: Double) -> NodeEmission {
                NodeEmission(excitation: .one, doubleExcitation: .zero, perPhoton: Probability(unchecked: eta))
            }
            let m = HeraldModel(nodeA: node(pt.eta_a), nodeB: node(pt.eta_b), visibility: Probability(unchecked: pt.visibility),
                                darkClickPerSlot: Probability(unchecked: pt.dark ?? 0))
            for (i, pattern) in HeraldPattern.all.enumerated() {
                let p = m.patternProbabilities[i]
                let relative = abs(p - ref.probabilities[i]) / max(ref.probabilities[i], 1e-300)
                worstProbability = max(worstProbability, relative)
                let f = m.state(for: i).fidelity(with: pattern.state)
                let fRef = pattern.state == .psiPlus ? ref.fidelity_psi_plus[i] : ref.fidelity_psi_minus[i]
                worstFidelity = max(worstFidelity, abs(f - fRef))
            }
        }
        #expect(worstFidelity < 1e-6, "worst fidelity difference \(worstFidelity)")
        #expect(worstProbability < 1e-6, "worst relative probability difference \(worstProbability)")
    }

    /// The link budget of two converting nodes (noise into their fibers, polarization error) against QuTiP, which
    /// is given the rates and the process fidelities, not IonLink's per-slot probability or ion-side channel.
    @Test func convertedLinkMatchesQuTiP() async throws {
        var grid: [Point] = [], models: [HeraldModel] = []
        let det = DetectorSpec(kind: .snspd, efficiency: Probability(unchecked: 0.8), darkCountRate: .hertz(30), deadTime: .zero,
                               jitterSigma: .zero, afterpulseProbability: .zero, afterpulseDelay: .zero)
        for (fa, fb) in [(1.0, 0.99), (0.97, 0.9), (0.8, 1.0)] {
            for (noise, km) in [(0.0, 1.0), (0.05, 5.0), (2.0, 20.0), (40.0, 50.0)] {
                func stage(_ fidelity: Double) -> ConversionStageConfig {
                    ConversionStageConfig(outputWavelength: .nanometers(1550), pumpWavelength: .nanometers(1902.9), pumpPower: .milliwatts(500),
                                          maxPumpPower: .milliwatts(1000), peakEfficiency: Probability(unchecked: 0.6),
                                          peakPumpPower: .milliwatts(600), couplingIn: Probability(unchecked: 0.8),
                                          couplingOut: Probability(unchecked: 0.8), filterTransmission: Probability(unchecked: 0.7),
                                          noisePerPumpMilliwatt: noise, polarizationFidelity: Probability(unchecked: fidelity))
                }
                func optics(_ fidelity: Double, _ meters: Double) -> NodeOptics {
                    NodeOptics(species: .ca40, excitation: .one, doubleExcitation: .zero, numericalAperture: 0.9, dipole: .sigma,
                               fiberCoupling: .one, opticsTransmission: .one, fiberLength: .meters(meters), fiberAttenuation: .dBPerKm(0.2),
                               conversion: FrequencyConversion(input: .nanometers(854.209), stages: [stage(fidelity)]))
                }
                let hub = HubOptics(encoding: .polarization, detector: det,
                                    window: DetectionWindow(start: .zero, length: .nanoseconds(60)), timeBinSeparation: .nanoseconds(100))
                let b = try LinkBudget(nodeA: optics(fa, km * 1000), nodeB: optics(fb, km * 700), hub: hub,
                                       mismatch: ModeMismatch(arrivalOffset: .picoseconds(300)), attemptPeriod: .microseconds(500))
                let noiseRate = noise * 500
                grid.append(Point(eta_a: b.emissionA.perPhoton.value, eta_b: b.emissionB.perPhoton.value, visibility: b.visibility.value,
                                  polarization_fidelity_a: fa, polarization_fidelity_b: fb, dark_rate_hz: 30,
                                  noise_a_hz: noiseRate,
                                  noise_b_hz: noiseRate, fiber_a: b.chainA.fiberTransmission.value, fiber_b: b.chainB.fiberTransmission.value,
                                  detector_efficiency: 0.8, window_s: 60e-9, detectors: 4))
                models.append(b.model)
            }
        }
        let refs = try await reference(for: grid)
        #expect(refs.count == grid.count)
        var worstFidelity = 0.0, worstProbability = 0.0
        for (m, ref) in zip(models, refs) {
            for (i, pattern) in HeraldPattern.all.enumerated() {
                worstProbability = max(worstProbability, abs(m.patternProbabilities[i] - ref.probabilities[i]) / max(ref.probabilities[i], 1e-300))
                let fRef = pattern.state == .psiPlus ? ref.fidelity_psi_plus[i] : ref.fidelity_psi_minus[i]
                worstFidelity = max(worstFidelity, abs(m.state(for: i).fidelity(with: pattern.state) - fRef))
            }
        }
        #expect(worstFidelity < 1e-6, "worst fidelity difference \(worstFidelity)")
        #expect(worstProbability < 1e-6, "worst relative probability difference \(worstProbability)")
    }
}
