import Foundation
import IonLink
import Logging

/// Windfreak SynthHD two-channel RF synthesiser over USB CDC. Commands carry no terminator, sets are
/// silent and query replies end in LF, so every set is checked by reading the value back.
///
/// On connect it sends only `+` (model); a reply without `SynthHD` is
/// ``RFSourceError/wrongInstrument(device:expected:found:)``. Each channel is an ``RFSource``
/// (``output(_:)``); both share the port, one command at a time.
public actor WindfreakSynthHD: SerialLineInstrument {
    public nonisolated let name: String
    public nonisolated let identity: DeviceIdentity
    /// The synthesiser's own range (SynthHD v2 datasheet: 10 MHz – 15 GHz, −70 … +20 dBm).
    public static let instrumentFrequencyRange = SetpointLimit(Frequency.megahertz(10), .megahertz(15_000))
    public static let instrumentPowerRange = SetpointLimit(Power.dBm(-70), .dBm(20))
    private let session: LineSession
    private let logger: Logger

    /// The line framing of its protocol and its serial settings.
    public static let framing = LineFraming(commandTerminator: "", replyTerminator: "\n")
    public static let serialSettings = SerialSettings.baud115200

    /// Opens the instrument at `port` (found again by the same locator after a replug) and identifies it.
    public static func connect(name: String, port: SerialPortLocator, timeout: Duration = .milliseconds(500),
                               logger: Logger) async throws(RFSourceError) -> WindfreakSynthHD {
        try await connect(name: name, logger: logger,
                          session: serialSession(port, timeout: timeout, logger: logger))
    }

    /// The same over an open line session (``framing`` over any ``ByteTransport``: a serial port, an in-memory
    /// emulator, a fuzzer's script).
    public static func connect(name: String, logger: Logger, session: LineSession) async throws(RFSourceError) -> WindfreakSynthHD {
        let model = try await session.firstLine("+", device: name, as: RFSourceError.self)
        guard model.contains("SynthHD") else {
            await session.disconnect()
            throw .wrongInstrument(device: name, expected: "Windfreak SynthHD", found: model)
        }
        let probe = WindfreakSynthHD(name: name, identity: DeviceIdentity(vendor: "Windfreak", model: model, serialNumber: "", firmware: ""),
                                     session: session, logger: logger)
        let serial = try await probe.query("-")
        let firmware = try await probe.query("v0")
        return WindfreakSynthHD(name: name, identity: DeviceIdentity(vendor: "Windfreak", model: model, serialNumber: serial, firmware: firmware),
                                session: session, logger: logger)
    }

    init(name: String, identity: DeviceIdentity, session: LineSession, logger: Logger) {
        self.name = name
        self.identity = identity
        self.session = session
        self.logger = logger.forDevice(name)
    }

    /// Channel A (0) or B (1) as an RF source with the lab's limits (never beyond the instrument's).
    public nonisolated func output(_ channel: Int, frequencyLimit: SetpointLimit<Frequency>, powerLimit: SetpointLimit<Power>) -> Output {
        precondition(channel == 0 || channel == 1, "SynthHD has channels 0 and 1")
        let f = SetpointLimit(
            max(frequencyLimit.lower, Self.instrumentFrequencyRange.lower), min(frequencyLimit.upper, Self.instrumentFrequencyRange.upper))
        let p = SetpointLimit(max(powerLimit.lower, Self.instrumentPowerRange.lower), min(powerLimit.upper, Self.instrumentPowerRange.upper))
        return Output(synth: self, channel: channel, frequencyLimit: f, powerLimit: p)
    }

    /// One channel of the synthesiser. Its phase (`~`, degrees 0…360 in steps of 0.001) makes it a
    /// ``QubitDrive``.
    public struct Output: QubitDrive {
        public let synth: WindfreakSynthHD
        public let channel: Int
        public let frequencyLimit: SetpointLimit<Frequency>
        public let powerLimit: SetpointLimit<Power>
        public var name: String { "\(synth.name).ch\(channel)" }
        public var capabilities: Set<DeviceCapability> { [.rfDrive, .phaseControl] }
        public var phaseLimit: SetpointLimit<Angle> { SetpointLimit(.degrees(0), .degrees(360)) }

        public func identify() async throws -> DeviceIdentity { synth.identity }

        public func setFrequency(_ frequency: Frequency) async throws(RFSourceError) {
            guard frequencyLimit.allows(frequency) else {
                throw .frequencyOutOfRange(device: name, requested: frequency, allowed: frequencyLimit)
            }
            try await synth.setChecked(channel, "f", String(format: "%.8f", frequency.megahertz), tolerance: 1e-6)
        }

        public func frequency() async throws(RFSourceError) -> Frequency {
            .megahertz(try await synth.number(channel, "f?"))
        }

        public func setPower(_ power: Power) async throws(RFSourceError) {
            guard powerLimit.allows(power) else { throw .powerOutOfRange(device: name, requested: power, allowed: powerLimit) }
            try await synth.setChecked(channel, "W", String(format: "%.3f", power.dBm), tolerance: 1e-3)
        }

        public func power() async throws(RFSourceError) -> Power { .dBm(try await synth.number(channel, "W?")) }

        /// On: PLL, output amplifier and RF output enabled (`E1h1r1`); off: RF output muted (`r0`).
        public func setOutput(_ on: Bool) async throws(RFSourceError) {
            try await synth.setChecked(channel, on ? "E1h1r" : "r", on ? "1" : "0", tolerance: 0, readBack: "r?")
        }

        public func isOutputOn() async throws(RFSourceError) -> Bool {
            try await synth.number(channel, "r?") == 1
        }

        /// `~<degrees>`, read back with `~?`.
        public func setPhase(_ phase: Angle) async throws(RFSourceError) {
            guard phaseLimit.allows(phase) else { throw .phaseOutOfRange(device: name, requested: phase, allowed: phaseLimit) }
            try await synth.setChecked(channel, "~", String(format: "%.3f", phase.degrees), tolerance: 1e-3)
        }

        public func phase() async throws(RFSourceError) -> Angle { .degrees(try await synth.number(channel, "~?")) }
    }

    // MARK: - Wire

    /// Selects the channel, sends `command` + `value`, and checks the read-back (`readBack`, default `<command>?`).
    func setChecked(_ channel: Int, _ command: String, _ value: String, tolerance: Double, readBack: String? = nil) async throws(RFSourceError) {
        let text = "C\(channel)\(command)\(value)"
        logger.debug("command", metadata: ["command": "\(text)"])
        do { try await session.send(text) } catch { throw RFSourceError(error, device: name, command: text) }
        let query = readBack ?? "\(command.suffix(1))?"
        let back = try await number(channel, query)
        guard let wanted = Double(value), abs(back - wanted) <= tolerance else {
            throw .notApplied(device: name, command: text, readBack: "\(back)")
        }
    }

    func number(_ channel: Int, _ query: String) async throws(RFSourceError) -> Double {
        let reply = try await self.query("C\(channel)\(query)")
        guard let v = Double(reply), v.isFinite else { throw .malformedReply(device: name, command: query, reply: reply) }
        return v
    }

    func query(_ text: String) async throws(RFSourceError) -> String {
        let reply = try await session.firstLine(text, device: name, as: RFSourceError.self)
        let clean = reply.trimmingCharacters(in: .whitespacesAndNewlines)
        guard clean.isPrintableASCII else {
            await session.resynchronise()
            throw .malformedReply(device: name, command: text, reply: reply)
        }
        return clean
    }

}
