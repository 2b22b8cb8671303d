import Foundation
import IonLink
import IonLinkDrivers
import Logging

/// Why a configured instrument could not stand in for its role; names the binding's line in the lab YAML.
public struct BindingError: Error, Sendable, CustomStringConvertible {
    public var binding: DeviceBinding
    public var message: String

    public init(binding: DeviceBinding, message: String) {
        self.binding = binding
        self.message = message
    }

    public var description: String {
        "lab config line \(binding.line): devices.\(binding.role) (\(binding.model) at \(binding.port)): \(message)"
    }
}

/// What a ``Connector`` is given: the binding (role, port, options), the device's name and logger, and
/// where the instrument is (``InstrumentLink``).
public struct InstrumentRequest: Sendable {
    public var binding: DeviceBinding
    public var logger: Logger
    public var link: InstrumentLink

    public init(binding: DeviceBinding, logger: Logger, link: InstrumentLink = .port) {
        self.binding = binding
        self.logger = logger
        self.link = link
    }

    /// The device's name in logs and errors (`nodeA.excitation`).
    public var name: String { binding.role.deviceName }

    /// The binding's port as a serial-port locator (a path, or a USB identity found again after a replug).
    public func serialPort() throws(BindingError) -> SerialPortLocator {
        guard let l = SerialPortLocator(binding.port) else {
            throw BindingError(binding: binding, message: "port must be a path (/dev/ttyUSB0) or a USB identity (0d4d:003d[:serial])")
        }
        return l
    }

    /// The binding's port as a USB identity `vvvv:pppp[:serial]` (USBTMC instruments).
    public func usbIdentity() throws(BindingError) -> (vendorID: UInt16, productID: UInt16, serialNumber: String?) {
        guard case let .usb(v, p, s)? = SerialPortLocator(binding.port) else {
            throw BindingError(binding: binding, message: "port must be a USB identity (vvvv:pppp[:serial]) for a USB instrument")
        }
        return (v, p, s)
    }

    /// An integer option, `fallback` when absent; refused outside `range`.
    public func int(_ key: String, default fallback: Int, in range: ClosedRange<Int>) throws(BindingError) -> Int {
        guard let text = binding.options[key] else { return fallback }
        guard let v = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(v) else {
            throw BindingError(
                binding: binding, message: "\(key) must be a whole number in \(range.lowerBound)...\(range.upperBound), found '\(text)'")
        }
        return v
    }

    /// A number option, `fallback` when absent; refused outside `range` (and when not finite).
    public func double(_ key: String, default fallback: Double, in range: ClosedRange<Double>) throws(BindingError) -> Double {
        guard let text = binding.options[key] else { return fallback }
        guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite, range.contains(v) else {
            throw BindingError(binding: binding, message: "\(key) must be a number in \(range.lowerBound)...\(range.upperBound), found '\(text)'")
        }
        return v
    }

    /// A number option the model cannot do without; refused when absent or outside `range`.
    public func double(_ key: String, in range: ClosedRange<Double>) throws(BindingError) -> Double {
        guard binding.options[key] != nil else { throw BindingError(binding: binding, message: "\(key) is required for \(binding.model)") }
        return try double(key, default: range.lowerBound, in: range)
    }

    /// A comma-separated list of integers, `fallback` when absent; each refused outside `range`.
    public func ints(_ key: String, default fallback: [Int], in range: ClosedRange<Int>) throws(BindingError) -> [Int] {
        guard let text = binding.options[key] else { return fallback }
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0.map(range.contains) == true }) else {
            throw BindingError(
                binding: binding, message: "\(key) must list whole numbers in \(range.lowerBound)...\(range.upperBound), found '\(text)'")
        }
        return values.compactMap { $0 }
    }

    /// A refusal of this binding.
    public func refuse(_ message: String) -> BindingError { BindingError(binding: binding, message: message) }
}
