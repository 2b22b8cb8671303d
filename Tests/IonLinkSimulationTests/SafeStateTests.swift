import Logging
import Testing
import IonLink
import IonLinkSimulation

@Suite struct SafeStateTests {
    @Test func lasersOffDetectorsOffTrapsHeld() async throws {
        let config = try LabConfig.parse(yaml: LabConfig.defaultYAML(), speciesKeys: ["Ba138"])
        let lab = try SimulatedLab(config: config, seed: 1, logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        for node in lab.lab.nodes { try await node.excitation.setEmission(true); try await node.cooling.setEmission(true) }
        let steps = await lab.lab.bringToSafeState()
        #expect(steps.allSatisfy { $0.failure == nil })
        #expect(steps.count == 11, "the pulse generator, four lasers, two traps, four detectors")
        #expect(await (lab.lab.pulses as? SimulatedPulseGenerator)?.isStopped == true)
        for node in lab.lab.nodes {
            #expect(try await node.excitation.status().emitting == false)
            #expect(try await node.cooling.status().emitting == false)
        }
        for detector in lab.lab.detectors {
            let simulated = try #require(detector as? SimulatedPhotonDetector)
            #expect(await simulated.isEnabled == false)
        }
        #expect(steps.filter { $0.device.hasSuffix(".trap") }.allSatisfy { $0.action.contains("held") })
    }
}
