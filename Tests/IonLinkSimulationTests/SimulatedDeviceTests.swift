import Foundation
import Testing
import IonLink
import IonLinkPhysics
@testable import IonLinkSimulation

@Suite struct SimulatedDeviceTests {
    @Test func laserRefusesSetpointAboveLimitBeforeSending() async throws {
        let world = SimulatedWorld(seed: 1)
        let laser = SimulatedLaser(name: "l", world: world, node: 0, role: .excitation, wavelength: .nanometers(493.5),
                                   setpoint: .milliwatts(1), limit: SetpointLimit(.zero, .milliwatts(10)), logger: Fixture.logger)
        await #expect(throws: LaserError.setpointOutOfRange(device: "l", requested: .milliwatts(11),
                                                             allowed: SetpointLimit(.zero, .milliwatts(10)))) {
            try await laser.setPower(.milliwatts(11))
        }
        #expect(try await laser.powerSetpoint() == .milliwatts(1))
        try await laser.setPower(.milliwatts(5))
        try await laser.setEmission(true)
        #expect(try await laser.measuredPower() == .milliwatts(5))
        #expect(world.withState { $0.excitationOn[0] })
        await laser.setInterlock(closed: false)
        #expect(try await laser.status().emitting == false)
        await #expect(throws: LaserError.interlockOpen(device: "l")) { try await laser.setEmission(true) }
    }

    @Test func snspdLatchesWhenOverBiased() async throws {
        let world = SimulatedWorld(seed: 1)
        let det = SimulatedPhotonDetector(name: "d", channel: 0, slots: [0], world: world, spec: Fixture.detector(),
                                          bias: .microamperes(10), switchingCurrent: .microamperes(12),
                                          biasLimit: SetpointLimit(.zero, .microamperes(20)), logger: Fixture.logger)
        #expect(try await det.latchState() == .normal)
        try await det.setBias(.microamperes(13))
        #expect(try await det.latchState() == .latched)
        #expect(world.withState { !$0.slotLive[0] })
        #expect(try await det.recoverFromLatch() == .latched, "still over-biased")
        try await det.setBias(.microamperes(11))
        #expect(try await det.recoverFromLatch() == .normal)
        #expect(world.withState { $0.slotLive[0] })
        await #expect(throws: PhotonDetectorError.self) { try await det.setBias(.microamperes(25)) }
    }

    @Test func trapFluorescenceSeesTheIon() async throws {
        let world = SimulatedWorld(seed: 2)
        world.withState { $0.coolingOn = [true, true] }
        let trap = SimulatedTrapController(
            name: "t", node: 0, world: world, electrodeCount: 4, electrodeLimit: SetpointLimit(.volts(-10), .volts(10)),
            rf: RFDrive(frequency: .megahertz(20), amplitude: .volts(100)), rfAmplitudeLimit: SetpointLimit(.zero, .volts(250)),
            imaging: TrapImaging(ionCountRate: .hertz(50_000), backgroundRate: .hertz(1_000), readoutFidelity: .one,
                                 readoutDuration: .microseconds(300), meanLoadTime: .seconds(10)),
            logger: Fixture.logger)
        let bright = try await trap.fluorescenceCounts(exposure: .milliseconds(1))
        world.withState { $0.ionPresent[0] = false }
        let dark = try await trap.fluorescenceCounts(exposure: .milliseconds(1))
        #expect(bright > 25 && dark < 10)
        let took = try await trap.load(timeout: .seconds(1000))
        #expect(took > .zero && world.withState { $0.ionPresent[0] })
        await #expect(throws: TrapControllerError.self) { try await trap.setElectrode(0, to: .volts(11)) }
        await #expect(throws: TrapControllerError.self) { try await trap.setElectrode(9, to: .volts(1)) }
        await #expect(throws: TrapControllerError.self) { try await trap.setRF(RFDrive(frequency: .megahertz(20), amplitude: .volts(251))) }
        #expect(try await trap.rf().amplitude == .volts(100), "the refused drive was not applied")
    }
}
