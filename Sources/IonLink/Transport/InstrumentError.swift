/// What every device error type can say about a failed conversation with its instrument, so a
/// transport failure maps onto it in one place (``init(_:device:command:)``).
public protocol InstrumentError: Error {
    static func timeout(device: String, command: String) -> Self
    static func disconnected(device: String) -> Self
    static func malformedReply(device: String, command: String, reply: String) -> Self
    static func wrongInstrument(device: String, expected: String, found: String) -> Self
}

extension InstrumentError {
    /// The device's error for a transport failure during `command`.
    public init(_ error: TransportError, device: String, command: String) {
        switch error {
        case .timeout: self = .timeout(device: device, command: command)
        case .disconnected, .notFound, .busy, .permissionDenied: self = .disconnected(device: device)
        case let .malformedReply(_, reply): self = .malformedReply(device: device, command: command, reply: String(decoding: reply, as: UTF8.self))
        case let .wrongInstrument(_, expected, found): self = .wrongInstrument(device: device, expected: expected, found: found)
        }
    }
}

extension LaserError: InstrumentError {}
extension PhotonDetectorError: InstrumentError {}
extension TimeTaggerError: InstrumentError {}
extension TrapControllerError: InstrumentError {}
extension RFSourceError: InstrumentError {}
