import Foundation
import IonLink
import Logging

/// Quantum Composers 9520-series pulse generator (9524: four channels, 9528: eight; the BNC 577 speaks
/// the same language) over its USB virtual COM port (38400 8N1 from the factory; 115200 on RS-232);
/// commands and replies end in CR LF (summarised in docs/wire-protocols.md, "Quantum Composers 9520").
///
/// Every command is answered: a query with its value, a set with `ok`, a refusal with `?n`, which
/// becomes ``PulseGeneratorError/rejected(device:command:reply:)``. The attempt maps onto channels by
/// role (``PulsePlan``): each pulse is a channel synchronised to T0 with its delay and width; channels no
/// role uses are switched off. An attempt burst is the system timer in burst mode (`:PULSE0:MODE BURS`,
/// `:PULSE0:BCOUNTER n`) with the attempt period, started by ``trigger()`` (`:PULSE0:STATE 1`).
public actor QuantumComposers9520: SerialPulseGenerator {
    /// A channel, A…H (`:PULSE1:` … `:PULSE8:`).
    public enum Channel: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case a = 1, b, c, d, e, f, g, h
        public var description: String { ["A", "B", "C", "D", "E", "F", "G", "H"][rawValue - 1] }
        /// `A`, `b`, … (case-insensitive).
        public init?(name: String) {
            guard let c = Channel.allCases.first(where: { $0.description == name.uppercased() }) else { return nil }
            self = c
        }
    }

    /// Width and delay on a 250 ps grid (the BNC 577's published resolution; the 9520's is taken to be
    /// the same); widths from 2 ns; period 100 ns … 5000 s (here at most 1000 s, the delay range),
    /// rounded up to 10 ns; bursts of 1 … 9 999 999.
    public static let timing = PulseTiming(edgeGrid: .picoseconds(250), minimumWidth: .nanoseconds(2), periodGrid: .nanoseconds(10),
                                           minimumPeriod: .nanoseconds(100), maximumPeriod: .seconds(999), maximumBurst: 9_999_999)
    public static let framing = LineFraming(commandTerminator: "\r\n", replyTerminator: "\r\n")
    public static let serialSettings = SerialSettings(baudRate: 38_400)
    /// Pump on A, the excitation pulse(s) on B (and C for time-bin's second), the detection gate on D.
    public static let defaultOutputs: [PulseRole: [Channel]] = [.pump: [.a], .excite: [.b, .c], .detect: [.d]]

    public nonisolated let name: String
    public nonisolated let capabilities: Set<DeviceCapability> = [.pulseProgramming]
    public nonisolated let identity: DeviceIdentity
    public nonisolated let outputs: [PulseRole: [Channel]]
    /// How many channels the unit has (from `:INST:CAT?`).
    public nonisolated let channelCount: Int
    public nonisolated var minimumStep: Duration { Self.timing.minimumWidth }
    private let session: LineSession
    private let logger: Logger
    private var plan: PulsePlan<Channel>?

    /// Identifies the unit over an open line session. Sends `*IDN?` first (anything but a 9520-series or BNC 577
    /// unit is sent nothing more), then `:INST:CAT?` for its channels.
    public static func connect(name: String, outputs: [PulseRole: [Channel]] = defaultOutputs, logger: Logger,
                               session: LineSession) async throws(PulseGeneratorError) -> QuantumComposers9520 {
        let (idn, f) = try await session.identificationFields(device: name, as: PulseGeneratorError.self)
        guard f.count == 4, (f[0] == "QC" && f[1].hasPrefix("952")) || (f[0] == "BNC" && f[1] == "577") else {
            await session.disconnect()
            throw .wrongInstrument(device: name, expected: "Quantum Composers 9520 series (QC,952x,…) or BNC 577", found: idn)
        }
        let catalog = try await session.replyLine(":INST:CAT?", device: name, as: PulseGeneratorError.self)
        let timers = catalog.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let names = Channel.allCases.map { "CH\($0)" }
        guard timers.first == "T0", (2...9).contains(timers.count), Array(timers.dropFirst()) == Array(names.prefix(timers.count - 1)) else {
            throw .malformedReply(device: name, command: ":INST:CAT?", reply: catalog)
        }
        let maker = f[0] == "QC" ? "Quantum Composers" : "Berkeley Nucleonics"
        return QuantumComposers9520(name: name, identity: DeviceIdentity(vendor: maker, model: f[1], serialNumber: f[2], firmware: f[3]),
                                    channels: timers.count - 1, outputs: outputs, session: session, logger: logger)
    }

    init(name: String, identity: DeviceIdentity, channels: Int, outputs: [PulseRole: [Channel]], session: LineSession, logger: Logger) {
        self.name = name
        self.identity = identity
        channelCount = channels
        self.outputs = outputs
        self.session = session
        self.logger = logger.forDevice(name)
    }

    /// Stops the unit, sets every channel for `sequence` (mapped ones on, synchronised to T0, with their
    /// delay and width; the rest off) and the system timer's period in burst mode; reads widths and
    /// delays back. Nothing is sent if the unit cannot produce the sequence.
    public func program(_ sequence: PulseSequence) async throws(PulseGeneratorError) {
        let plan = try PulsePlan(sequence, outputs: outputs, timing: Self.timing, device: name)
        if let beyond = plan.pulses.first(where: { $0.output.rawValue > channelCount }) {
            throw .unproducible(device: name, "channel \(beyond.output) asked for; this unit has \(channelCount)")
        }
        var commands = [":PULSE0:STATE 0", ":PULSE0:MODE BURS", ":PULSE0:TRIG:MODE DIS",
                        ":PULSE0:PERIOD \(PulsePlan<Channel>.seconds(plan.period, decimals: 9))"]
        for n in 1...channelCount {
            guard let pulse = plan.pulses.first(where: { $0.output.rawValue == n }) else {
                commands.append(":PULSE\(n):STATE 0")
                continue
            }
            commands += [":PULSE\(n):SYNC T0", ":PULSE\(n):CMODE NORM", ":PULSE\(n):POL NORM",
                         ":PULSE\(n):DELAY \(PulsePlan<Channel>.seconds(pulse.start, decimals: 11))",
                         ":PULSE\(n):WIDTH \(PulsePlan<Channel>.seconds(pulse.width, decimals: 11))", ":PULSE\(n):STATE 1"]
        }
        for command in commands { try await set(command) }
        for pulse in plan.pulses {
            try await expect(":PULSE\(pulse.output.rawValue):DELAY?", pulse.start)
            try await expect(":PULSE\(pulse.output.rawValue):WIDTH?", pulse.width)
        }
        self.plan = plan
        logger.info("programmed", metadata: ["command": ":PULSE0:PERIOD", "period": "\(plan.period)", "pulses": "\(plan.pulses.count)"])
    }

    public func programmed() async -> PulseSequence? { plan?.produced }

    /// Sets the number of attempts one start fires (`:PULSE0:BCOUNTER`); refused outside 1…9 999 999 before sending.
    public func armBurst(count: Int) async throws(PulseGeneratorError) {
        try Self.timing.checkBurst(count: count, device: name)
        try await set(":PULSE0:BCOUNTER \(count)")
    }

    /// Stops the system timer (`:PULSE0:STATE 0`).
    public func stop() async throws(PulseGeneratorError) { try await set(":PULSE0:STATE 0") }

    /// Starts the armed burst (`:PULSE0:STATE 1`).
    public func trigger() async throws(PulseGeneratorError) { try await set(":PULSE0:STATE 1") }

    /// Arms and starts a burst of `count` attempts (`:PULSE0:BCOUNTER`, `:PULSE0:STATE 1`).
    public func fireBurst(count: Int) async throws(PulseGeneratorError) {
        try await armBurst(count: count)
        try await trigger()
    }

    /// The external gate inhibits the system timer's pulses while high (`:PULSE0:GATE:MODE PULS`,
    /// `:PULSE0:GATE:LOGIC HIGH`), so a herald-stop unit holding it ends the burst; `DIS` ignores it.
    public func enableHeraldStop(_ on: Bool) async throws(PulseGeneratorError) {
        if on { try await set(":PULSE0:GATE:LOGIC HIGH") }
        try await set(":PULSE0:GATE:MODE \(on ? "PULS" : "DIS")")
    }

    // MARK: - Wire

    /// A set command: `ok`, or `?n` refused.
    func set(_ command: String) async throws(PulseGeneratorError) {
        let reply = try await query(command)
        guard reply == "ok" else {
            if reply.hasPrefix("?"), let n = Int(reply.dropFirst()) {
                throw .rejected(device: name, command: command, reply: "\(reply) \(Self.errorName(n))")
            }
            throw .malformedReply(device: name, command: command, reply: reply)
        }
    }

    func query(_ command: String) async throws(PulseGeneratorError) -> String {
        logger.debug("command", metadata: ["command": "\(command)"])
        return try await session.replyLine(command, device: name, as: PulseGeneratorError.self)
    }

    /// Reads a time back (seconds, fixed point) and checks it within a nanosecond (replies carry 9 decimals).
    func expect(_ command: String, _ value: Duration) async throws(PulseGeneratorError) {
        let reply = try await query(command)
        guard let t = Double(reply), t.isFinite, abs(t) < 1e4 else { throw .malformedReply(device: name, command: command, reply: reply) }
        guard abs(t * 1e12 - Double(value.inPicoseconds)) <= 1000 else { throw .notApplied(device: name, command: command, readBack: reply) }
    }

    /// The meaning of a `?n` reply (the manual's list).
    public static func errorName(_ n: Int) -> String {
        switch n {
        case 1: "incorrect prefix"
        case 2: "missing command keyword"
        case 3: "invalid command keyword"
        case 4: "missing parameter"
        case 5: "invalid parameter"
        case 6: "query only"
        case 7: "no query form"
        case 8: "not available in the present state"
        case 9: "out of bounds for this module"
        default: "error"
        }
    }
}
