import Foundation
import Logging
import Synchronization
import Testing
import IonLink
import IonLinkAssembly
import IonLinkDrivers
import IonLinkPhysics
import IonLinkSequencer
import IonLinkSimulation
@testable import IonLinkMocks
@testable import ionlink

/// A fault plan played on emulated instruments through their knobs: the real drivers, over real
/// libserialport, meet dropped and garbled replies, a pulled cable, an open interlock and a latched
/// nanowire on the wire, and the sequencer recovers from each.
@Suite(.serialized) struct EmulatedFaultTests {
    let logger = Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }


    @Test func sequencerRecoversFromFaultsOnTheWire() async throws {
        let testbed = try VirtualSerialTestbed.shared()
        let obisPort = try EmulatedSerialPort(testbed: testbed, usb: .bench("FLT-OBIS"), emulator: CoherentOBISEmulator())
        let circuits = (0..<4).map { _ in SNSPDCircuit() }
        let rackPort = try EmulatedSerialPort(testbed: testbed, usb: .bench("FLT-SIM"), emulator: SIM900Emulator.snspdBiasRack(circuits: circuits))
        let text = try LabConfig.defaultYAML() + """

            devices:
              A.excitation: { model: obis, port: "0403:6001:FLT-OBIS" }
              hub.detector_bias: { model: sim900, port: "0403:6001:FLT-SIM", source_ports: "1,2,3,4", voltmeter_port: "7" }

            """
        let builder = LabBuilder(logger: logger)
        let assembled = try await builder.build(try builder.parse(yaml: text), seed: 6)
        let sim = try #require(assembled.simulation), bound = assembled.lab

        var knobs = sim.faultKnobs
        knobs["nodeA.excitation"] = EmulatorFaultKnob(port: obisPort, interlock: { emulator, closed in
            (emulator as? CoherentOBISEmulator)?.interlockClosed = closed
        })
        for k in 0..<4 {
            knobs["hub.detector\(k)"] = EmulatorFaultKnob(port: rackPort, latch: { emulator in
                ((emulator as? SIM900Emulator)?.modules[k + 1] as? SIM928Emulator)?.circuit.forceLatch()
            })
        }
        let plan = try FaultPlan.parse(yaml: """
            faults:
              - { at_s: 1, device: nodeA.excitation, fault: garbage, count: 2 }
              - { at_s: 2, device: nodeA.excitation, fault: timeout, count: 1 }
              - { at_s: 3, device: hub.detector1, fault: latch }
              - { at_s: 4, device: nodeA.excitation, fault: interlock, for_s: 2 }
              - { at_s: 7, device: nodeA.excitation, fault: disconnect, for_s: 2 }
            """)
        let injector = try FaultInjector(plan: plan, devices: bound.wrappableDeviceNames, knobs: knobs, clock: sim.world.clock) {}
        let lab = bound.injectingFaults(injector)
        var sequencer = HeraldingSequencer(lab: lab, settings: SequencerSettings(timing: sim.config.timing), logger: logger)
        let events = Mutex<[FaultEvent]>([]), handed = Mutex(0)
        sequencer.onFault = { e in events.withLock { $0.append(e) } }
        let r = try await sequencer.run(until: StopCondition(labTime: .seconds(12)), onHerald: { _, _ in handed.withLock { $0 += 1 } })

        #expect(r.failure == nil, "\(r.failure ?? "")")
        let kinds = Set(events.withLock { $0 }.map(\.kind))
        #expect(kinds.isSuperset(of: [.malformedReply, .timeout, .latch, .interlock, .disconnected]), "\(events.withLock { $0 })")
        #expect(r.latchRecoveries >= 1 && !circuits[1].latched, "the real bias chain cleared the latch")
        #expect(obisPort.isPluggedIn, "the OBIS came back on the bus")
        #expect(try await lab.nodes[0].excitation.status().emitting == false, "switched off at the end, through the replugged port")
        #expect(r.heralds > 100 && handed.withLock { $0 } == r.heralds)
        let produced = try #require(lab.attemptLoop as? FaultInjectingAttemptLoop).totals
        #expect(produced.heralds == r.heralds + r.rejectedHeralds)
        #expect(rackPort.receivedText.contains("VOLT 0.000"), "re-biasing (0 V, then the setpoint) went over the wire")
        withExtendedLifetime([obisPort, rackPort]) {}
    }
}
