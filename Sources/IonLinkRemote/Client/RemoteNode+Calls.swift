import GRPCCore
import GRPCNIOTransportHTTP2
import IonLink

extension RemoteNode {
    typealias DevicesClient = Ionlink_V1_Devices.Client<HTTP2ClientTransport.Posix>

    /// One device call: the node's typed fault, or a transport failure, becomes `E`.
    func perform<R: Sendable, E: WireError>(
        _: E.Type, device: String, command: String, extra: Duration = .zero,
        _ body: (DevicesClient, CallOptions) async throws -> R
    ) async throws(E) -> R {
        do {
            return try await body(devicesClient, options(extra: extra))
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
