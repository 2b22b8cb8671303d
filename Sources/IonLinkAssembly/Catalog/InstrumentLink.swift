import IonLink
import IonLinkDrivers

/// Where a connector finds its instrument: at the binding's port, or over a link handed in — an emulator
/// in memory, or the reply fuzzer's script — which answers at once or never, so waits shrink to
/// `replyTimeout`.
public enum InstrumentLink: Sendable {
    /// The binding's port: a serial path or USB identity.
    case port
    /// A byte stream for a line-protocol (serial) instrument.
    case bytes(any ByteTransport, replyTimeout: Duration)
    /// A message link for a USBTMC (SCPI) instrument.
    case messages(any MessageTransport)
}

extension InstrumentRequest {
    /// A wait of the instrument's (`normal`), or the handed-in link's reply timeout.
    public func timeout(_ normal: Duration) -> Duration {
        if case let .bytes(_, t) = link { return t }
        return normal
    }

    /// A line session with `framing`: over the binding's serial port with `settings`, or over the handed-in bytes.
    public func lineSession(_ framing: LineFraming, settings: SerialSettings, timeout normal: Duration = .milliseconds(500))
        throws(BindingError) -> LineSession
    {
        if case let .bytes(transport, t) = link {
            return LineSession(port: binding.port, framing: framing, timeout: t, logger: logger) { () throws(TransportError) -> any ByteTransport in
                transport
            }
        }
        return LineSession.serial(try serialPort(), settings: settings, framing: framing, timeout: normal, logger: logger)
    }

    /// A SCPI link: the USBTMC instrument at the binding's USB identity (its vendor must be `vendorID`,
    /// its product `productID` when given), or the handed-in messages. Opening fails as a `K` device error.
    public func scpi<K>(vendorID: UInt16, productID: UInt16? = nil, refusal: String, as _: DeviceError<K>.Type) throws -> SCPIInstrument {
        if case let .messages(m) = link { return SCPIInstrument(name: name, device: m, logger: logger) }
        let id = try usbIdentity()
        guard id.vendorID == vendorID, productID.map({ $0 == id.productID }) ?? true else { throw refuse(refusal) }
        return try SCPIInstrument.usbtmc(name: name, vendorID: id.vendorID, productID: id.productID, serialNumber: id.serialNumber,
                                         timeout: .seconds(1), logger: logger, as: DeviceError<K>.self)
    }
}
