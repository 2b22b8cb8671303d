import Synchronization
import Testing

@testable import IonLink

/// A line that records what reaches it and answers with a scripted outcome.
final class ScriptedLine<Call: DeviceCall>: CallLine {
    let answer: @Sendable (Call) -> Call.Outcome
    private let seen = Mutex<[String]>([])

    init(_ answer: @escaping @Sendable (Call) -> Call.Outcome) { self.answer = answer }

    var commands: [String] { seen.withLock { $0 } }

    func identify() async throws -> DeviceIdentity { DeviceIdentity(vendor: "test", model: "line", serialNumber: "0", firmware: "0") }

    func send(_ call: Call) async throws(DeviceError<Call.Fault>) -> Call.Outcome {
        seen.withLock { $0.append(call.command) }
        return answer(call)
    }
}

@Suite struct ForwardingDeviceTests {
    let powerLimit = SetpointLimit(Power.zero, .milliwatts(10))

    @Test func laserCallsReachTheLineAndOutcomesComeBackTyped() async throws {
        let line = ScriptedLine<LaserCall> { call in
            switch call {
            case .wavelength: .wavelength(.nanometers(397))
            case .powerSetpoint: .power(.milliwatts(2))
            case .measuredPower: .power(.milliwatts(1.9))
            case .status: .status(LaserStatus(interlockClosed: true, faultCode: 0, emitting: true))
            case .setPower, .setEmission: .done
            }
        }
        let laser = ForwardingLaser(name: "l", capabilities: [], powerLimit: powerLimit, line: line)
        #expect(try await laser.wavelength() == .nanometers(397))
        try await laser.setPower(.milliwatts(2))
        #expect(try await laser.powerSetpoint() == .milliwatts(2))
        #expect(try await laser.measuredPower() == .milliwatts(1.9))
        try await laser.setEmission(true)
        #expect(try await laser.status().emitting)
        #expect(line.commands == ["wavelength", "setPower", "powerSetpoint", "measuredPower", "setEmission", "status"])
    }

    @Test func aSetpointOutsideTheLimitNeverReachesTheLine() async throws {
        let line = ScriptedLine<LaserCall> { _ in .done }
        let laser = ForwardingLaser(name: "l", capabilities: [], powerLimit: powerLimit, line: line)
        await #expect(throws: LaserError.setpointOutOfRange(device: "l", requested: .milliwatts(11), allowed: powerLimit)) {
            try await laser.setPower(.milliwatts(11))
        }
        let trapLine = ScriptedLine<TrapCall> { _ in .done }
        let trap = ForwardingTrap(name: "t", capabilities: [], electrodeCount: 4, electrodeLimit: SetpointLimit(.volts(-10), .volts(10)),
                                  rfAmplitudeLimit: SetpointLimit(.zero, .volts(200)), line: trapLine)
        await #expect(throws: TrapControllerError.noSuchElectrode(device: "t", index: 4)) { try await trap.setElectrode(4, to: .volts(1)) }
        await #expect(throws: TrapControllerError.self) { try await trap.setElectrode(0, to: .volts(10.5)) }
        await #expect(throws: TrapControllerError.self) {
            try await trap.setRF(RFDrive(frequency: .megahertz(20), amplitude: .volts(250)))
        }
        await #expect(throws: TrapControllerError.self) { try await trap.setRF(RFDrive(frequency: .hertz(-1), amplitude: .volts(100))) }
        let detLine = ScriptedLine<DetectorCall> { _ in .done }
        let det = ForwardingDetector(name: "d", capabilities: [], channel: 0, biasLimit: SetpointLimit(.zero, .microamperes(20)), line: detLine)
        await #expect(throws: PhotonDetectorError.self) { try await det.setBias(.microamperes(21)) }
        #expect(line.commands.isEmpty && trapLine.commands.isEmpty && detLine.commands.isEmpty)
    }

    @Test func anOutcomeOfTheWrongShapeIsAMalformedReply() async throws {
        let trap = ForwardingTrap(name: "t", capabilities: [], electrodeCount: 1, electrodeLimit: SetpointLimit(.volts(-1), .volts(1)),
                                  rfAmplitudeLimit: SetpointLimit(.zero, .volts(1)),
                                  line: ScriptedLine<TrapCall> { call in call == .measureQubit(.z) ? .eigenvalue(0) : .counts(-3) })
        await #expect(throws: TrapControllerError.self) { _ = try await trap.measureQubit(in: .z) }
        await #expect(throws: TrapControllerError.self) { _ = try await trap.fluorescenceCounts(exposure: .milliseconds(1)) }
        await #expect(throws: TrapControllerError.self) { _ = try await trap.rf() }
        do {
            _ = try await trap.load(timeout: .seconds(1))
            Issue.record("a count is no load time")
        } catch {
            guard case let .instrument(fault) = error.reason, case .malformedReply = fault else {
                Issue.record("expected a malformed reply, got \(error)")
                return
            }
        }
    }
}
