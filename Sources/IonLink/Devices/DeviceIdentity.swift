/// What an instrument says it is, as read from it on open.
public struct DeviceIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    public var vendor: String
    public var model: String
    public var serialNumber: String
    public var firmware: String

    public init(vendor: String, model: String, serialNumber: String, firmware: String) {
        self.vendor = vendor
        self.model = model
        self.serialNumber = serialNumber
        self.firmware = firmware
    }
    public var description: String { "\(vendor) \(model) s/n \(serialNumber) fw \(firmware)" }
}

/// An optional feature a device may or may not offer; query ``Device/capabilities``.
public enum DeviceCapability: String, Sendable, Hashable, Codable, CaseIterable {
    case powerReadback, emissionControl, interlockStatus, wavelengthReadback
    case biasControl, latchDetection, gating
    case syncInput, tagStreaming, overflowReporting
    case phaseControl
    case dcElectrodes, rfDrive, fluorescenceCounting, loading, qubitReadout
    case pulseProgramming
}

/// The common face of every instrument: its identity and its capabilities.
public protocol Device: Sendable {
    /// A short name for logs, such as `"nodeA.excitation"`.
    var name: String { get }
    /// What this device can do beyond the minimum of its protocol.
    var capabilities: Set<DeviceCapability> { get }
    /// Reads the identity from the instrument.
    func identify() async throws -> DeviceIdentity
}
