import Foundation
import IonLink
import Logging

/// SRS DG645 digital delay generator over RS-232 (9600 8N1 with RTS/CTS by default; commands end in LF,
/// replies in CR LF; summarised in docs/wire-protocols.md, "SRS DG645").
///
/// The DG645 answers queries only: a set command is silent, and a refused one leaves an error code in a
/// queue read with `LERR?`. So every batch of settings ends by draining that queue (a code other than 0
/// is ``PulseGeneratorError/rejected(device:command:reply:)``), and programmed delays are read back.
///
/// The attempt sequence maps onto outputs by role (``PulsePlan``): each pulse is an output's first
/// channel delayed from T0 and its second linked to the first by the pulse's length; outputs no role
/// uses are set to zero width. An attempt burst is single-shot triggered (`TSRC 5`) with burst mode on,
/// its period the attempt period, armed with ``armBurst(count:)`` and fired by ``trigger()`` (or by the
/// fast loop's hardware trigger once the trigger source is external).
public actor SRSDG645: SerialPulseGenerator {
    /// A DG645 output: AB, CD, EF or GH (its number in `LAMP`/`LPOL` commands is 1…4).
    public enum Output: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case ab = 1, cd, ef, gh

        /// The delay channels whose edges make the pulse: A=2 and B=3 for AB, … G=8 and H=9 for GH.
        public var channels: (start: Int, end: Int) { (rawValue * 2, rawValue * 2 + 1) }
        public var description: String { ["AB", "CD", "EF", "GH"][rawValue - 1] }

        /// `AB`, `cd`, … (case-insensitive).
        public init?(name: String) {
            guard let o = Output.allCases.first(where: { $0.description == name.uppercased() }) else { return nil }
            self = o
        }
    }

    /// Delays 0…2000 s on a 5 ps grid; burst period 100 ns…2000 s on a 10 ns grid (so at most 10 MHz);
    /// burst count up to 2³¹−1 (the vendor's driver's bound; the manual is said to allow 2³²−1).
    public static let timing = PulseTiming(edgeGrid: .picoseconds(5), minimumWidth: .picoseconds(5), periodGrid: .nanoseconds(10),
                                           minimumPeriod: .nanoseconds(100), maximumPeriod: .seconds(2000), maximumBurst: Int(Int32.max))

    public nonisolated let name: String
    public nonisolated let capabilities: Set<DeviceCapability> = [.pulseProgramming]
    public nonisolated let identity: DeviceIdentity
    /// Each role's outputs, one per occurrence of the role in an attempt.
    public nonisolated let outputs: [PulseRole: [Output]]
    public nonisolated var minimumStep: Duration { Self.timing.edgeGrid }
    private let session: LineSession
    private let logger: Logger
    private var plan: PulsePlan<Output>?

    /// The line framing of its protocol and its factory serial settings.
    public static let framing = LineFraming(commandTerminator: "\n", replyTerminator: "\r\n")
    public static let serialSettings = SerialSettings(baudRate: 9_600, flowControl: .rtsCts)
    /// The baud rates its `IFCF 1,…` accepts.
    public static let baudRates = [4_800, 9_600, 19_200, 38_400, 57_600, 115_200]
    /// Pump on AB, the excitation pulse(s) on CD (and EF for time-bin's second), the detection gate on GH.
    public static let defaultOutputs: [PulseRole: [Output]] = [.pump: [.ab], .excite: [.cd, .ef], .detect: [.gh]]

    /// Identifies the unit over an open line session (``framing`` over any ``ByteTransport``).
    ///
    /// Sends `*IDN?` first; anything but a DG645 is ``PulseGeneratorError/wrongInstrument(device:expected:found:)``
    /// and is sent nothing else. Then `*CLS` empties the error queue.
    public static func connect(name: String, outputs: [PulseRole: [Output]] = defaultOutputs, logger: Logger,
                               session: LineSession) async throws(PulseGeneratorError) -> SRSDG645 {
        let (idn, f) = try await session.identificationFields(device: name, as: PulseGeneratorError.self)
        guard f.count == 4, f[0] == "Stanford Research Systems", f[1] == "DG645" else {
            await session.disconnect()
            throw .wrongInstrument(device: name, expected: "Stanford Research Systems,DG645", found: idn)
        }
        let serial = f[2].hasPrefix("s/n") ? String(f[2].dropFirst(3)) : f[2]
        let firmware = f[3].hasPrefix("ver") ? String(f[3].dropFirst(3)) : f[3]
        let generator = SRSDG645(name: name, identity: DeviceIdentity(vendor: f[0], model: "DG645", serialNumber: serial, firmware: firmware),
                                 outputs: outputs, session: session, logger: logger)
        try await generator.apply(["*CLS"])
        return generator
    }

    init(name: String, identity: DeviceIdentity, outputs: [PulseRole: [Output]], session: LineSession, logger: Logger) {
        self.name = name
        self.identity = identity
        self.outputs = outputs
        self.session = session
        self.logger = logger.forDevice(name)
    }

    /// Sets every output's delays for `sequence` and the burst period; nothing is sent if the DG645
    /// cannot produce it (``PulsePlan``, ``timing``). Afterwards the programmed delays are read back.
    public func program(_ sequence: PulseSequence) async throws(PulseGeneratorError) {
        let plan = try PulsePlan(sequence, outputs: outputs, timing: Self.timing, device: name)
        var commands: [String] = []
        for output in Output.allCases {
            let (a, b) = output.channels
            let pulse = plan.pulses.first { $0.output == output }
            commands.append("DLAY \(a),0,\(PulsePlan<Output>.seconds(pulse?.start ?? .zero))")
            commands.append("DLAY \(b),\(a),\(PulsePlan<Output>.seconds(pulse?.width ?? .zero))")
        }
        commands += ["TSRC 5", "BURM 1", "BURP \(PulsePlan<Output>.seconds(plan.period))", "BURD 0", "BURT 0"]
        try await apply(commands)
        for pulse in plan.pulses {
            let (a, b) = pulse.output.channels
            try await expectDelay(channel: a, reference: 0, pulse.start)
            try await expectDelay(channel: b, reference: a, pulse.width)
        }
        self.plan = plan
        logger.info("programmed", metadata: ["command": "DLAY", "period": "\(plan.period)", "pulses": "\(plan.pulses.count)"])
    }

    /// The sequence as the DG645 produces it (its last step lengthened to the burst-period grid).
    public func programmed() async -> PulseSequence? { plan?.produced }

    /// Sets the number of attempts one trigger fires (`BURC`); refused outside 1…2³¹−1 before sending.
    public func armBurst(count: Int) async throws(PulseGeneratorError) {
        try Self.timing.checkBurst(count: count, device: name)
        try await apply(["BURC \(count)"])
    }

    /// Single-shot trigger source (`TSRC 5`): nothing fires until ``trigger()``, whatever reaches the trigger input.
    public func stop() async throws(PulseGeneratorError) { try await apply(["TSRC 5"]) }

    /// Fires one burst (`*TRG`, single-shot trigger source).
    public func trigger() async throws(PulseGeneratorError) { try await apply(["*TRG"]) }

    /// Arms and fires a burst of `count` attempts in one exchange (`BURC`, `*TRG`, then the error queue).
    public func fireBurst(count: Int) async throws(PulseGeneratorError) {
        try Self.timing.checkBurst(count: count, device: name)
        try await apply(["BURC \(count)", "*TRG"])
    }

    /// The inhibit input inhibits triggers (`INHB 1`), so a herald-stop unit holding it ends the burst;
    /// `INHB 0` ignores it.
    public func enableHeraldStop(_ on: Bool) async throws(PulseGeneratorError) { try await apply(["INHB \(on ? 1 : 0)"]) }

    /// The instrument status register (`INSR?`, cleared by reading): bit 0 triggered, 2 end of delay, 3 end of burst.
    public func instrumentStatus() async throws(PulseGeneratorError) -> Int {
        let reply = try await query("INSR?")
        guard let v = Int(reply), (0...255).contains(v) else { throw .malformedReply(device: name, command: "INSR?", reply: reply) }
        return v
    }

    // MARK: - Wire

    /// Sends silent set commands, then drains the error queue: any code but 0 refuses the batch.
    func apply(_ commands: [String]) async throws(PulseGeneratorError) {
        for command in commands {
            logger.debug("command", metadata: ["command": "\(command)"])
            do { try await session.send(command) } catch { throw PulseGeneratorError(error, device: name, command: command) }
        }
        var codes: [Int] = []
        while codes.count < 32 {
            let reply = try await query("LERR?")
            guard let code = Int(reply), code >= 0 else { throw .malformedReply(device: name, command: "LERR?", reply: reply) }
            if code == 0 { break }
            codes.append(code)
        }
        guard codes.isEmpty else {
            let batch = commands.count == 1 ? commands[0] : "\(commands[0]) … (\(commands.count) commands)"
            throw .rejected(device: name, command: batch, reply: codes.map { "LERR \($0) \(Self.errorName($0))" }.joined(separator: "; "))
        }
    }

    func query(_ command: String) async throws(PulseGeneratorError) -> String {
        try await session.replyLine(command, device: name, as: PulseGeneratorError.self)
    }

    /// Reads `DLAY? channel` (`ref,+seconds`) and checks it is `reference` plus `delay` to within the grid.
    func expectDelay(channel: Int, reference: Int, _ delay: Duration) async throws(PulseGeneratorError) {
        let command = "DLAY?\(channel)"
        let reply = try await query(command)
        let f = reply.split(separator: ",")
        guard f.count == 2, let ref = Int(f[0]), let t = Double(f[1]), t.isFinite, abs(t) <= 2001 else {
            throw .malformedReply(device: name, command: command, reply: reply)
        }
        guard ref == reference, abs(t * 1e12 - Double(delay.inPicoseconds)) <= 2.5 else {
            throw .notApplied(device: name, command: command, readBack: reply)
        }
    }

    /// The meaning of a `LERR?` code (the manual's error list).
    public static func errorName(_ code: Int) -> String {
        switch code {
        case 10: "illegal value"
        case 11: "illegal mode"
        case 12: "illegal delay"
        case 13: "illegal link"
        case 14: "recall failed"
        case 15: "not allowed"
        case 30: "lost data"
        case 110: "illegal command"
        case 111: "undefined command"
        case 112: "illegal query"
        case 113: "illegal set"
        case 114: "null parameter"
        case 115: "extra parameters"
        case 116: "missing parameters"
        case 117: "parameter overflow"
        case 118: "invalid floating point number"
        case 120: "invalid integer"
        case 121: "integer overflow"
        case 122: "invalid hexadecimal"
        case 126: "syntax error"
        case 170: "communication error"
        case 171: "over run"
        case 254: "too many errors"
        default: "error"
        }
    }
}
