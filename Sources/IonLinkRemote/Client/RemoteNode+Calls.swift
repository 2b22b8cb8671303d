import GRPCCore
import GRPCNIOTransportHTTP2
import IonLink

extension RemoteNode {
    typealias DevicesClient = Ionlink_V1_Devices.Client<HTTP2ClientTransport.Posix>

    /// One device call: the node's typed fault, or a transport failure, becomes `E`; the lab time the
    /// reply carries keeps ``clock`` current.
    func perform<R: LabTimeStamped, E: WireError>(
        _: E.Type, device: String, command: String, extra: Duration = .zero,
        _ body: (DevicesClient, CallOptions) async throws -> R
    ) async throws(E) -> R {
        do {
            let reply = try await body(devicesClient, options(extra: extra))
            clock.observe(picoseconds: reply.labTimePs)
            return reply
        } catch {
            let e = E.from(error, device: device, command: command)
            logger.debug("remote call failed", metadata: ["device": "\(device)", "command": "\(command)", "error": "\(e)"])
            throw e
        }
    }

    /// Reads an identity from the node.
    func identify(role: String) async throws -> DeviceIdentity {
        let id = try await devicesClient.identify(.with { $0.role = role }, options: options())
        clock.observe(picoseconds: id.labTimePs)
        return DeviceIdentity(vendor: id.vendor, model: id.model, serialNumber: id.serialNumber, firmware: id.firmware)
    }
}

/// A reply that carries the node's lab time.
protocol LabTimeStamped: Sendable {
    var labTimePs: Int64 { get set }
}

extension Ionlink_V1_LaserReply: LabTimeStamped {}
extension Ionlink_V1_TrapReply: LabTimeStamped {}
extension Ionlink_V1_DetectorReply: LabTimeStamped {}
extension Ionlink_V1_BurstReply: LabTimeStamped {}
extension Ionlink_V1_LabTime: LabTimeStamped {}
