import IonLink

/// How to find an instrument's serial port: by device path, or by its USB identity (which survives
/// re-enumeration when an adapter is replugged and comes back under another `ttyUSB<n>`).
public enum SerialPortLocator: Sendable, Hashable, CustomStringConvertible {
    case path(String)
    case usb(vendorID: UInt16, productID: UInt16, serialNumber: String?)

    /// The device path this locator names now.
    public func resolve() throws(TransportError) -> String {
        switch self {
        case let .path(p): return p
        case let .usb(v, p, s):
            guard let info = SerialPortInfo.find(vendorID: v, productID: p, serialNumber: s) else {
                throw .notFound(port: description)
            }
            return info.path
        }
    }

    /// Parses `/dev/ttyUSB0` or `0d4d:003d` or `0d4d:003d:SERIAL`.
    public init?(_ text: String) {
        if text.hasPrefix("/") { self = .path(text); return }
        let parts = text.split(separator: ":", maxSplits: 2).map(String.init)
        guard parts.count >= 2, let v = UInt16(parts[0], radix: 16), let p = UInt16(parts[1], radix: 16) else { return nil }
        self = .usb(vendorID: v, productID: p, serialNumber: parts.count == 3 ? parts[2] : nil)
    }

    public var description: String {
        switch self {
        case let .path(p): p
        case let .usb(v, p, s): String(format: "%04x:%04x", v, p) + (s.map { ":" + $0 } ?? "")
        }
    }
}
