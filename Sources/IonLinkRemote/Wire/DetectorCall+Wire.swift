import GRPCCore
import IonLink

extension DetectorCall: WireCall {
    init(request r: Ionlink_V1_DetectorCall) throws(RPCError) {
        switch r.call {
        case .spec: self = .spec
        case let .setEnabled(on): self = .setEnabled(on)
        case let .setBiasA(a): self = .setBias(.amperes(a))
        case .bias: self = .bias
        case .latchState: self = .latchState
        case .recoverFromLatch: self = .recoverFromLatch
        case nil: throw RPCError(code: .invalidArgument, message: "a detector call names no operation")
        }
    }

    func request(role: String) -> Ionlink_V1_DetectorCall {
        var r = Ionlink_V1_DetectorCall()
        r.role = role
        switch self {
        case .spec: r.spec = .init()
        case let .setEnabled(on): r.setEnabled = on
        case let .setBias(b): r.setBiasA = b.amperes
        case .bias: r.bias = .init()
        case .latchState: r.latchState = .init()
        case .recoverFromLatch: r.recoverFromLatch = .init()
        }
        return r
    }

    static func reply(_ outcome: Outcome) -> Ionlink_V1_DetectorReply {
        var r = Ionlink_V1_DetectorReply()
        switch outcome {
        case .done: break
        case let .spec(s): r.spec = .init(s)
        case let .bias(b): r.biasA = b.amperes
        case let .latch(s): r.latch = .init(s)
        }
        return r
    }

    func outcome(of r: Ionlink_V1_DetectorReply) -> Outcome? {
        switch self {
        case .setEnabled, .setBias: .done
        case .spec: r.spec.spec.map(Outcome.spec)
        case .bias: .bias(.amperes(r.biasA))
        case .latchState, .recoverFromLatch: r.latch.state.map(Outcome.latch)
        }
    }

    static func rpc(_ client: RemoteNode.DevicesClient, _ request: Ionlink_V1_DetectorCall, _ options: CallOptions) async throws
        -> Ionlink_V1_DetectorReply
    {
        try await client.detector(request, options: options)
    }
}
