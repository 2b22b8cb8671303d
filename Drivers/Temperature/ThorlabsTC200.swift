import Foundation
import IonLink
import Logging

/// Thorlabs TC200 heater controller over its USB virtual COM port (FTDI; 115200 8N1, no flow control), as used to
/// hold a frequency converter's crystal oven at its phase-matching temperature (docs/wire-protocols.md, "Thorlabs
/// TC200"). Commands are lower case and end CR; the controller echoes each command and CR, sends the reply body
/// and CR, then the prompt `> `; `stat?` answers a hexadecimal status byte and ` > ` with no CR. A refused command
/// answers `Command error CMD_NOT_DEFINED` or `Command error CMD_ARG_RANGE_ERR`. Temperatures are in °C on the wire.
///
/// On connect it sends only `id?`; a reply without `TC200` (or bytes that never end in the prompt) is
/// ``TemperatureControllerError/wrongInstrument(device:expected:found:)``. Its setpoint limit is the lab's, never
/// above the controller's own `tmax?`. `ens` toggles the output, so ``setOutput(_:)`` reads the status byte first
/// and toggles only when it differs, then checks that it changed.
public actor ThorlabsTC200: TemperatureController, IdentifiedOnConnect {
    public nonisolated let name: String
    public nonisolated let setpointLimit: SetpointLimit<Temperature>
    public nonisolated let capabilities: Set<DeviceCapability> = []
    public nonisolated let identity: DeviceIdentity
    private let session: LineSession
    private let logger: Logger

    /// The line framing of its protocol (replies are read to the prompt, not by line) and its serial settings.
    public static let framing = LineFraming(commandTerminator: "\r", replyTerminator: "\r")
    public static let serialSettings = SerialSettings.baud115200

    /// Bits of the `stat?` byte: output enabled, and the sensor alarm (the heater cannot be enabled while it is set).
    public static let outputEnabledBit: UInt8 = 0x01
    public static let sensorAlarmBit: UInt8 = 0x40

    /// Identifies the controller (`id?`, then `tmax?`) over an open session in ``framing``.
    public static func connect(name: String, limit: SetpointLimit<Temperature>, logger: Logger,
                               session: LineSession) async throws(TemperatureControllerError) -> ThorlabsTC200 {
        let reply: [String]
        do {
            reply = try await exchange("id?", session: session)
        } catch let .timeout(_, _, partial) where !partial.isEmpty {
            await session.disconnect()
            throw .wrongInstrument(device: name, expected: "Thorlabs TC200 (id? ends in the prompt)", found: String(decoding: partial, as: UTF8.self))
        } catch {
            throw TemperatureControllerError(error, device: name, command: "id?")
        }
        guard let line = reply.first(where: { $0.contains("TC200") }) else {
            await session.disconnect()
            throw .wrongInstrument(device: name, expected: "Thorlabs TC200", found: reply.joined(separator: " "))
        }
        // "THORLABS TC200 VERSION 2.0": vendor, model, then the firmware version.
        let words = line.split(separator: " ").map(String.init)
        let identity = DeviceIdentity(vendor: words.first ?? "Thorlabs", model: words.count > 1 ? words[1] : "TC200", serialNumber: "",
                                      firmware: words.dropFirst(2).filter { $0 != "VERSION" }.joined(separator: " "))
        let probe = ThorlabsTC200(name: name, identity: identity, limit: limit, session: session, logger: logger)
        let tmax = Temperature.celsius(try await probe.number("tmax?"))
        let upper = min(limit.upper, tmax)
        guard upper >= limit.lower else {
            throw .setpointOutOfRange(device: name, requested: limit.lower, allowed: SetpointLimit(limit.lower, limit.lower))
        }
        return ThorlabsTC200(name: name, identity: identity, limit: SetpointLimit(limit.lower, upper), session: session, logger: logger)
    }

    init(name: String, identity: DeviceIdentity, limit: SetpointLimit<Temperature>, session: LineSession, logger: Logger) {
        self.name = name
        self.identity = identity
        setpointLimit = limit
        self.session = session
        self.logger = logger.forDevice(name)
    }

    public func setSetpoint(_ temperature: Temperature) async throws(TemperatureControllerError) {
        guard setpointLimit.allows(temperature) else {
            throw .setpointOutOfRange(device: name, requested: temperature, allowed: setpointLimit)
        }
        let command = String(format: "tset=%.1f", temperature.celsius)
        let body = try await query(command)
        guard body.isEmpty else { throw .malformedReply(device: name, command: command, reply: body.joined(separator: " ")) }
    }

    /// `tset?` answers `30.0 Celsius`.
    public func setpoint() async throws(TemperatureControllerError) -> Temperature { .celsius(try await number("tset?")) }

    /// `tact?` answers `24.3 C`.
    public func measuredTemperature() async throws(TemperatureControllerError) -> Temperature { .celsius(try await number("tact?")) }

    public func isOutputOn() async throws(TemperatureControllerError) -> Bool { try await status() & Self.outputEnabledBit != 0 }

    public func setOutput(_ on: Bool) async throws(TemperatureControllerError) {
        let before = try await status()
        if on && before & Self.sensorAlarmBit != 0 { throw TemperatureControllerError(device: name, .kind(.sensorAlarm)) }
        guard (before & Self.outputEnabledBit != 0) != on else { return }
        _ = try await query("ens")
        let after = try await status()
        guard (after & Self.outputEnabledBit != 0) == on else {
            throw .notApplied(device: name, command: "ens", readBack: String(after, radix: 16))
        }
    }

    /// The status byte (`stat?`, hexadecimal).
    public func status() async throws(TemperatureControllerError) -> UInt8 {
        let body = try await query("stat?")
        guard body.count == 1, let byte = UInt8(body[0], radix: 16) else {
            throw .malformedReply(device: name, command: "stat?", reply: body.joined(separator: " "))
        }
        return byte
    }

    // MARK: - Wire

    /// The first number of the reply's one body line (`30.0 Celsius`, `24.3 C`, `200.0`).
    func number(_ command: String) async throws(TemperatureControllerError) -> Double {
        let body = try await query(command)
        guard body.count == 1, let first = body[0].split(separator: " ").first, let value = Double(first), value.isFinite else {
            throw .malformedReply(device: name, command: command, reply: body.joined(separator: " "))
        }
        return value
    }

    /// The reply's body lines (echo and prompt removed); a command error is a refusal.
    func query(_ command: String) async throws(TemperatureControllerError) -> [String] {
        logger.debug("command", metadata: ["command": "\(command)"])
        let body: [String]
        do { body = try await Self.exchange(command, session: session) } catch {
            throw TemperatureControllerError(error, device: name, command: command)
        }
        if let error = body.first(where: { $0.hasPrefix("Command error") }) {
            throw .rejected(device: name, command: command, reply: error)
        }
        guard body.allSatisfy(\.isPrintableASCII) else {
            await session.resynchronise()
            throw .malformedReply(device: name, command: command, reply: body.joined(separator: " "))
        }
        return body
    }

    /// Sends `command` and reads to the prompt: `<echo> CR [<body> CR] "> "` (`stat?`: `<echo> CR <hex> " > "`).
    static func exchange(_ command: String, session: LineSession) async throws(TransportError) -> [String] {
        let bytes = try await session.blockTransaction(command) { pending in
            pending.count >= 2 && pending[pending.count - 2] == UInt8(ascii: ">") && pending[pending.count - 1] == UInt8(ascii: " ")
                ? pending.count : nil
        }
        let text = String(decoding: bytes.dropLast(2), as: UTF8.self)
        var lines = text.split(whereSeparator: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if lines.first == command { lines.removeFirst() }
        return lines
    }
}
