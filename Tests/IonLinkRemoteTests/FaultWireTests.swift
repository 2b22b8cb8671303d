import GRPCCore
import IonLink
import Testing
@testable import IonLinkRemote

/// Every device error survives the wire: the fault a node sends rebuilds the same typed error, and a
/// status without a fault maps to the error the sequencer retries (or does not).
@Suite struct FaultWireTests {
    func roundTrip<E: WireError & Equatable>(_ errors: [E]) {
        for e in errors {
            let rpc = e.rpcError
            let back = E.from(rpc, device: "x", command: "y")
            #expect(back == e, "\(e) came back as \(back)")
            #expect(back.failure == e.failure)
        }
    }

    @Test func laserErrors() {
        roundTrip([
            LaserError.setpointOutOfRange(device: "L", requested: .milliwatts(9), allowed: SetpointLimit(.zero, .milliwatts(5))),
            .interlockOpen(device: "L"), .fault(device: "L", code: 7, message: "diode"), .timeout(device: "L", command: "SOUR:POW"),
            .rejected(device: "L", command: "c", reply: "r"), .malformedReply(device: "L", command: "c", reply: "\u{0}x"),
            .disconnected(device: "L"), .wrongInstrument(device: "L", expected: "OBIS", found: "Cobolt"),
        ])
    }

    @Test func trapErrors() {
        roundTrip([
            TrapControllerError.noSuchElectrode(device: "T", index: 40),
            .voltageOutOfRange(device: "T", electrode: 3, requested: .volts(20), allowed: SetpointLimit(.volts(-10), .volts(10))),
            .rfOutOfRange(device: "T", what: "amplitude"), .loadingFailed(device: "T", after: .seconds(30)),
            .rejected(device: "T", command: "c", reply: "r"), .wrongInstrument(device: "T", expected: "a", found: "b"),
            .timeout(device: "T", command: "c"), .malformedReply(device: "T", command: "c", reply: "r"), .disconnected(device: "T"),
        ])
    }

    @Test func detectorPulseAndLoopErrors() {
        roundTrip([
            PhotonDetectorError.biasOutOfRange(device: "D", requested: .microamperes(30), allowed: SetpointLimit(.zero, .microamperes(20))),
            .unsupported(device: "D", operation: "latch"), .latchRecoveryFailed(device: "D", attempts: 6),
            .wrongInstrument(device: "D", expected: "a", found: "b"), .notApplied(device: "D", command: "c", readBack: "r"),
            .rejected(device: "D", command: "c", reply: "r"), .timeout(device: "D", command: "c"),
            .malformedReply(device: "D", command: "c", reply: "r"), .disconnected(device: "D"),
        ])
        roundTrip([
            PulseGeneratorError.emptySequence(device: "P"), .unproducible(device: "P", "burst period 40 ns below 100 ns"),
            .stepTooShort(device: "P", step: "pump", minimum: .nanoseconds(8)),
            .timeout(device: "P", command: "c"), .rejected(device: "P", command: "c", reply: "r"), .disconnected(device: "P"),
        ])
        roundTrip([AttemptLoopError.notArmed("no sequence"), .deviceFailure("tagger gone"), .exhausted("file played")])
    }

    @Test func statusWithoutFaultMapsToRetryableOrNot() {
        let down = LaserError.from(RPCError(code: .unavailable, message: "connection refused"), device: "L", command: "status")
        #expect(down == .disconnected(device: "L"))
        #expect(down.failure == .transient(.disconnected))
        let late = TrapControllerError.from(RPCError(code: .deadlineExceeded, message: ""), device: "T", command: "load")
        #expect(late == .timeout(device: "T", command: "load"))
        let denied = PhotonDetectorError.from(RPCError(code: .permissionDenied, message: "observe only"), device: "D", command: "setBias")
        #expect(denied.failure == .permanent)
        guard case let .instrument(.rejected(_, reply)) = denied.reason else { Issue.record("\(denied)"); return }
        #expect(reply.contains("observe only"))
    }

    @Test func refusedSetpointIsOutOfRangeOnTheWire() {
        let e = LaserError.setpointOutOfRange(device: "L", requested: .milliwatts(9), allowed: SetpointLimit(.zero, .milliwatts(5)))
        #expect(e.rpcError.code == .outOfRange)
        #expect(LaserError.timeout(device: "L", command: "c").rpcError.code == .deadlineExceeded)
        #expect(LaserError.disconnected(device: "L").rpcError.code == .unavailable)
        #expect(LaserError.interlockOpen(device: "L").rpcError.code == .failedPrecondition)
    }
}
