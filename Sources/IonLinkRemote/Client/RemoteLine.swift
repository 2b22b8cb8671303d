import GRPCCore
import IonLink

/// A device call that crosses the network: the request and reply messages that carry it, and its RPC.
protocol WireCall: DeviceCall {
    associatedtype Request: Sendable
    associatedtype Reply: LabTimeStamped
    /// The call a request carries; a request naming no operation, or an unknown value, is INVALID_ARGUMENT.
    init(request: Request) throws(RPCError)
    /// The request for the device in `role`.
    func request(role: String) -> Request
    /// The reply for an outcome (at the serving node).
    static func reply(_ outcome: Outcome) -> Reply
    /// The outcome a reply carries for this call (at the client); nil when the reply cannot be one.
    func outcome(of reply: Reply) -> Outcome?
    /// Lab time the call may take beyond the usual reply time.
    var lasting: Duration { get }
    /// Sends the request.
    static func rpc(_ client: RemoteNode.DevicesClient, _ request: Request, _ options: CallOptions) async throws -> Reply
}

extension WireCall {
    var lasting: Duration { .zero }
}

/// The line of a device served by another node: each call is one RPC, its typed fault comes back as the
/// kind's ``DeviceError`` and the reply's lab time keeps the node's clock mirror current.
struct RemoteLine<Call: WireCall>: CallLine {
    let node: RemoteNode
    let role: String
    let device: String

    func identify() async throws -> DeviceIdentity { try await node.identify(role: role) }

    func send(_ call: Call) async throws(DeviceError<Call.Fault>) -> Call.Outcome {
        let request = call.request(role: role)
        let reply = try await node.perform(DeviceError<Call.Fault>.self, device: device, command: call.command, extra: call.lasting) { c, o in
            try await Call.rpc(c, request, o)
        }
        guard let outcome = call.outcome(of: reply) else {
            throw .malformedReply(device: device, command: call.command, reply: "\(reply)")
        }
        return outcome
    }
}
