import IonLink

/// A driver that reads its instrument's identity once, on connecting, and answers
/// `identify()` with it.
public protocol IdentifiedOnConnect: Device {
    /// The identity read on connecting.
    var identity: DeviceIdentity { get }
}

extension IdentifiedOnConnect {
    /// The identity read on connecting (nothing is sent).
    public func identify() async throws -> DeviceIdentity { identity }
}
