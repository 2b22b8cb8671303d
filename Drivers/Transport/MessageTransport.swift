import IonLink

/// A message-based link to one instrument (USBTMC: each write is one message, each read one whole
/// reply), the seam the SCPI drivers are written against.
public protocol MessageTransport: Sendable {
    /// The link's name for errors and logs.
    var name: String { get }
    /// Sends one message.
    func write(_ message: String) async throws(TransportError)
    /// Sends a query and reads its reply, without the trailing newline.
    func query(_ message: String) async throws(TransportError) -> String
}

extension USBTMCDevice: MessageTransport {}
