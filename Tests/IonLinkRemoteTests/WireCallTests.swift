import GRPCCore
import IonLink
import Testing
@testable import IonLinkRemote

/// Every device call and its outcome survive the wire: the request a client builds decodes at the node
/// to the same call, and the reply the node builds decodes at the client to the same outcome.
@Suite struct WireCallTests {
    func roundTrip<Call: WireCall & Equatable>(_ pairs: [(Call, Call.Outcome)]) throws where Call.Outcome: Equatable {
        for (call, outcome) in pairs {
            let request = call.request(role: "nodeA.x")
            #expect(try Call(request: request) == call, "\(call)")
            #expect(call.outcome(of: Call.reply(outcome)) == outcome, "\(call) → \(outcome)")
        }
    }

    @Test func laserCalls() throws {
        try roundTrip([
            (LaserCall.wavelength, .wavelength(.nanometers(854))), (.setPower(.milliwatts(3.25)), .done),
            (.powerSetpoint, .power(.milliwatts(3.25))), (.measuredPower, .power(.microwatts(870))), (.setEmission(true), .done),
            (.status, .status(LaserStatus(interlockClosed: false, faultCode: 7, emitting: false))),
        ])
    }

    @Test func detectorCalls() throws {
        let spec = DetectorSpec(kind: .snspd, efficiency: Probability(unchecked: 0.85), darkCountRate: .hertz(20), deadTime: .nanoseconds(40),
                                jitterSigma: .picoseconds(25), afterpulseProbability: .zero, afterpulseDelay: .zero)
        try roundTrip([
            (DetectorCall.spec, .spec(spec)), (.setEnabled(false), .done), (.setBias(.microamperes(12.5)), .done),
            (.bias, .bias(.microamperes(12.5))), (.latchState, .latch(.latched)), (.recoverFromLatch, .latch(.normal)),
        ])
    }

    @Test func trapCalls() throws {
        try roundTrip([
            (TrapCall.setElectrode(3, .volts(-2.5)), .done), (.electrodeVoltage(3), .voltage(.volts(-2.5))),
            (.setRF(RFDrive(frequency: .megahertz(23.4), amplitude: .volts(180))), .done),
            (.rf, .rf(RFDrive(frequency: .megahertz(23.4), amplitude: .volts(180)))),
            (.fluorescenceCounts(exposure: .milliseconds(3)), .counts(41)), (.load(timeout: .seconds(30)), .loadTime(.seconds(4))),
            (.measureQubit(.y), .eigenvalue(-1)),
        ])
    }

    @Test func aRequestNamingNoOperationIsAnInvalidArgument() {
        #expect(throws: RPCError.self) { try LaserCall(request: .with { $0.role = "nodeA.cooling" }) }
        #expect(throws: RPCError.self) { try DetectorCall(request: .with { $0.role = "hub.detector0" }) }
        #expect(throws: RPCError.self) { try TrapCall(request: .with { $0.measureQubit = .unspecified }) }
    }

    @Test func aReplyThatCannotBeTheOutcomeIsRefused() {
        #expect(DetectorCall.latchState.outcome(of: .with { $0.latch = .UNRECOGNIZED(99) }) == nil)
        #expect(DetectorCall.spec.outcome(of: .with { $0.spec.kind = "photographic plate" }) == nil)
    }
}
