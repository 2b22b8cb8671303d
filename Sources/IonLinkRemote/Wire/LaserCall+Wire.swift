import GRPCCore
import IonLink

extension LaserCall: WireCall {
    init(request r: Ionlink_V1_LaserCall) throws(RPCError) {
        switch r.call {
        case .wavelength: self = .wavelength
        case let .setPowerW(w): self = .setPower(.watts(w))
        case .powerSetpoint: self = .powerSetpoint
        case .measuredPower: self = .measuredPower
        case let .setEmission(on): self = .setEmission(on)
        case .status: self = .status
        case nil: throw RPCError(code: .invalidArgument, message: "a laser call names no operation")
        }
    }

    func request(role: String) -> Ionlink_V1_LaserCall {
        var r = Ionlink_V1_LaserCall()
        r.role = role
        switch self {
        case .wavelength: r.wavelength = .init()
        case let .setPower(p): r.setPowerW = p.watts
        case .powerSetpoint: r.powerSetpoint = .init()
        case .measuredPower: r.measuredPower = .init()
        case let .setEmission(on): r.setEmission = on
        case .status: r.status = .init()
        }
        return r
    }

    static func reply(_ outcome: Outcome) -> Ionlink_V1_LaserReply {
        var r = Ionlink_V1_LaserReply()
        switch outcome {
        case .done: break
        case let .wavelength(w): r.wavelengthM = w.si
        case let .power(p): r.powerW = p.watts
        case let .status(s):
            r.interlockClosed = s.interlockClosed
            r.faultCode = Int32(clamping: s.faultCode)
            r.emitting = s.emitting
        }
        return r
    }

    func outcome(of r: Ionlink_V1_LaserReply) -> Outcome? {
        switch self {
        case .setPower, .setEmission: .done
        case .wavelength: .wavelength(Wavelength(si: r.wavelengthM))
        case .powerSetpoint, .measuredPower: .power(.watts(r.powerW))
        case .status: .status(LaserStatus(interlockClosed: r.interlockClosed, faultCode: Int(r.faultCode), emitting: r.emitting))
        }
    }

    static func rpc(_ client: RemoteNode.DevicesClient, _ request: Ionlink_V1_LaserCall, _ options: CallOptions) async throws
        -> Ionlink_V1_LaserReply
    {
        try await client.laser(request, options: options)
    }
}
