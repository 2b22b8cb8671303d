import GRPCCore
import IonLink

extension TrapCall: WireCall {
    init(request r: Ionlink_V1_TrapCall) throws(RPCError) {
        switch r.call {
        case let .setElectrode(s): self = .setElectrode(Int(s.index), .volts(s.volts))
        case let .electrodeVoltage(i): self = .electrodeVoltage(Int(i))
        case let .setRf(rf): self = .setRF(rf.drive)
        case .rf: self = .rf
        case let .fluorescenceExposurePs(ps): self = .fluorescenceCounts(exposure: .picoseconds(ps))
        case let .loadTimeoutPs(ps): self = .load(timeout: .picoseconds(ps))
        case let .measureQubit(b):
            guard let basis = PauliBasis(b) else { throw RPCError(code: .invalidArgument, message: "no measurement basis") }
            self = .measureQubit(basis)
        case nil: throw RPCError(code: .invalidArgument, message: "a trap call names no operation")
        }
    }

    func request(role: String) -> Ionlink_V1_TrapCall {
        var r = Ionlink_V1_TrapCall()
        r.role = role
        switch self {
        case let .setElectrode(i, v): r.setElectrode = .with { $0.index = Int32(clamping: i); $0.volts = v.volts }
        case let .electrodeVoltage(i): r.electrodeVoltage = Int32(clamping: i)
        case let .setRF(drive): r.setRf = .init(drive)
        case .rf: r.rf = .init()
        case let .fluorescenceCounts(exposure): r.fluorescenceExposurePs = exposure.inPicoseconds
        case let .load(timeout): r.loadTimeoutPs = timeout.inPicoseconds
        case let .measureQubit(basis): r.measureQubit = basis.wire
        }
        return r
    }

    static func reply(_ outcome: Outcome) -> Ionlink_V1_TrapReply {
        var r = Ionlink_V1_TrapReply()
        switch outcome {
        case .done: break
        case let .voltage(v): r.volts = v.volts
        case let .rf(d): r.rf = .init(d)
        case let .counts(n): r.counts = Int64(n)
        case let .loadTime(t): r.loadTimePs = t.inPicoseconds
        case let .eigenvalue(e): r.eigenvalue = Int32(clamping: e)
        }
        return r
    }

    func outcome(of r: Ionlink_V1_TrapReply) -> Outcome? {
        switch self {
        case .setElectrode, .setRF: .done
        case .electrodeVoltage: .voltage(.volts(r.volts))
        case .rf: .rf(r.rf.drive)
        case .fluorescenceCounts: .counts(Int(clamping: r.counts))
        case .load: .loadTime(.picoseconds(r.loadTimePs))
        case .measureQubit: .eigenvalue(Int(r.eigenvalue))
        }
    }

    static func rpc(_ client: RemoteNode.DevicesClient, _ request: Ionlink_V1_TrapCall, _ options: CallOptions) async throws
        -> Ionlink_V1_TrapReply
    {
        try await client.trap(request, options: options)
    }
}
