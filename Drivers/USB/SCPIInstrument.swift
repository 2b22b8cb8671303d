import Foundation
import IonLink
import Logging

/// An instrument's SCPI error, as `SYSTem:ERRor?` reports it.
public struct SCPIError: Error, Sendable, Hashable, CustomStringConvertible {
    public var command: String
    public var code: Int
    public var message: String
    public var description: String { "\(command): \(code),\"\(message)\"" }
}

/// A generic SCPI instrument over USBTMC (or any ``MessageTransport``): `*IDN?`, `*RST`, and commands in a
/// checked mode that drains `SYSTem:ERRor?` after each one and throws what the instrument reported
/// (IEEE 488.2 / SCPI-99).
public actor SCPIInstrument {
    public nonisolated let device: any MessageTransport
    public nonisolated let name: String
    private let logger: Logger

    public init(name: String, device: any MessageTransport, logger: Logger) {
        self.name = name
        self.device = device
        self.logger = logger.forDevice(name)
    }

    /// The USBTMC instrument `vendorID:productID` (the one with `serialNumber`, if given) as a SCPI link;
    /// one not found or not opened is a `K` device error of the command `open`.
    public static func usbtmc<K>(name: String, vendorID: UInt16, productID: UInt16, serialNumber: String?, timeout: Duration,
                                 logger: Logger, as _: DeviceError<K>.Type) throws(DeviceError<K>) -> SCPIInstrument {
        do {
            let device = try USBTMCDevice(vendorID: vendorID, productID: productID, serialNumber: serialNumber, timeout: timeout)
            return SCPIInstrument(name: name, device: device, logger: logger)
        } catch {
            throw DeviceError<K>(error, device: name, command: "open")
        }
    }

    /// `*IDN?` split into manufacturer, model, serial number, firmware.
    public func identity() async throws(TransportError) -> DeviceIdentity {
        let idn = try await device.query("*IDN?")
        let f = idn.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard f.count >= 4 else { throw .malformedReply(port: device.name, reply: Array(idn.utf8)) }
        return DeviceIdentity(vendor: f[0], model: f[1], serialNumber: f[2], firmware: f[3])
    }

    /// Sends a query and returns its reply.
    public func query(_ text: String) async throws(TransportError) -> String {
        logger.debug("query", metadata: ["command": "\(text)"])
        return try await device.query(text)
    }

    /// Sends a command and, in checked mode, reads `SYST:ERR?` until it says `0`; the first error
    /// reported is thrown.
    public func command(_ text: String, checked: Bool = true) async throws -> Void {
        logger.debug("command", metadata: ["command": "\(text)"])
        try await device.write(text)
        guard checked else { return }
        var first: SCPIError?
        for _ in 0..<32 {
            let reply = try await device.query("SYST:ERR?")
            let parts = reply.split(separator: ",", maxSplits: 1)
            guard let code = parts.first.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
                throw TransportError.malformedReply(port: device.name, reply: Array(reply.utf8))
            }
            if code == 0 { break }
            let message = parts.count > 1 ? parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) : ""
            if first == nil { first = SCPIError(command: text, code: code, message: message) }
        }
        if let first { throw first }
    }

    /// `*RST` then `*CLS`, checked.
    public func reset() async throws {
        try await command("*RST")
        try await command("*CLS")
    }
}

extension SCPIInstrument {
    /// ``command(_:checked:)`` with every failure as the device's own error: what the instrument reported
    /// through `refused`, transport failures as the shared ``InstrumentFault``s.
    public func checked<K>(_ command: String, device: String,
                           refused: @Sendable (SCPIError) -> DeviceError<K>) async throws(DeviceError<K>) {
        do { try await self.command(command) } catch let e as SCPIError {
            throw refused(e)
        } catch let e as TransportError {
            throw DeviceError<K>(e, device: device, command: command)
        } catch {
            throw .malformedReply(device: device, command: command, reply: "\(error)")
        }
    }

    /// A numeric query, its failures as the device's own error.
    public func number<K>(_ query: String, device: String, failing _: DeviceError<K>.Type) async throws(DeviceError<K>) -> Double {
        let reply: String
        do { reply = try await self.query(query) } catch { throw DeviceError<K>(error, device: device, command: query) }
        guard let v = Double(reply.trimmingCharacters(in: .whitespaces)), v.isFinite else {
            throw .malformedReply(device: device, command: query, reply: reply)
        }
        return v
    }
}
