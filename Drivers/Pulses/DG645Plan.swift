import IonLink

/// How a ``PulseSequence`` becomes a DG645's settings: each step of a role with an output becomes one
/// output pulse (the output's first channel delayed from T0 by the step's start, its second channel
/// linked to the first by the step's length), and the attempt repeats as a burst whose period is the
/// sequence's, on the burst-period grid. Step edges fall on the 5 ps delay grid (rounded to the nearest
/// point, as the instrument rounds; far below its ≈25 ps rms jitter), so a step shorter than 5 ps cannot be
/// made. Pure: checked entirely before anything is sent.
///
/// The DG645's limits (docs/wire-protocols.md, "SRS DG645"): delays 0…2000 s on a 5 ps grid; burst
/// period 100 ns…2000 s on a 10 ns grid (so at most 10 MHz); burst count 1…2³¹−1.
public struct DG645Plan: Sendable, Hashable {
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

    /// One output pulse: its start after T0 and its length.
    public struct Pulse: Sendable, Hashable {
        public var output: Output
        public var role: PulseRole
        public var start: Duration
        public var width: Duration
    }

    public static let delayResolution = Duration.picoseconds(5)
    public static let maximumDelay = Duration.seconds(2000)
    public static let burstPeriodStep = Duration.nanoseconds(10)
    public static let minimumBurstPeriod = Duration.nanoseconds(100)
    public static let maximumBurstCount = Int(Int32.max)

    /// The output pulses, in sequence order.
    public var pulses: [Pulse]
    /// The attempt period as the DG645 makes it: the sequence's, rounded up to the 10 ns grid.
    public var burstPeriod: Duration
    /// The sequence as produced: its last step lengthened by the rounding of the period.
    public var produced: PulseSequence

    /// Plans `sequence` with `outputs` giving each role's outputs, one per occurrence of the role in an
    /// attempt (time-bin excitation pulses twice, so it needs two outputs).
    public init(_ sequence: PulseSequence, outputs: [PulseRole: [Output]], device: String) throws(PulseGeneratorError) {
        guard !sequence.steps.isEmpty else { throw .emptySequence(device: device) }
        var start = Duration.zero, seen: [PulseRole: Int] = [:], pulses: [Pulse] = [], steps: [PulseStep] = []
        var end = Duration.zero
        for step in sequence.steps {
            guard step.duration >= Self.delayResolution else {
                throw .stepTooShort(device: device, step: "\(step.role.rawValue) \(step.duration)", minimum: Self.delayResolution)
            }
            end += step.duration
            let width = Self.onGrid(end) - start
            steps.append(PulseStep(step.role, width))
            let k = seen[step.role, default: 0]
            seen[step.role] = k + 1
            if let mapped = outputs[step.role], !mapped.isEmpty {
                guard k < mapped.count else {
                    throw .unproducible(device: device, "\(k + 1) \(step.role.rawValue) pulses per attempt, \(mapped.count) output(s) for them")
                }
                guard !pulses.contains(where: { $0.output == mapped[k] }) else {
                    throw .unproducible(device: device, "output \(mapped[k]) would carry two pulses per attempt")
                }
                pulses.append(Pulse(output: mapped[k], role: step.role, start: start, width: width))
            }
            start += width
        }
        guard !pulses.isEmpty else { throw .unproducible(device: device, "no step of the sequence has an output") }
        let period = start
        guard period <= Self.maximumDelay else { throw .unproducible(device: device, "attempt period \(period) past 2000 s") }
        let grid = Self.burstPeriodStep.inPicoseconds
        let rounded = Duration.picoseconds((period.inPicoseconds + grid - 1) / grid * grid)
        guard rounded >= Self.minimumBurstPeriod else {
            throw .unproducible(device: device, "attempt period \(period) is below the 100 ns burst period (10 MHz)")
        }
        self.pulses = pulses
        burstPeriod = rounded
        steps[steps.count - 1].duration += rounded - period
        produced = PulseSequence(steps)
    }

    /// `t` on the 5 ps delay grid (nearest point).
    static func onGrid(_ t: Duration) -> Duration {
        let g = delayResolution.inPicoseconds, ps = t.inPicoseconds
        return .picoseconds((ps + g / 2) / g * g)
    }

    /// Checks a burst count against the DG645's range.
    public static func checkBurst(count: Int, device: String) throws(PulseGeneratorError) {
        guard (1...maximumBurstCount).contains(count) else {
            throw .unproducible(device: device, "burst of \(count) attempts outside 1…\(maximumBurstCount)")
        }
    }

    /// A duration in seconds as the DG645 takes it: fixed point, 12 decimals (exact to the picosecond).
    public static func seconds(_ d: Duration) -> String {
        let ps = d.inPicoseconds, sign = ps < 0 ? "-" : ""
        let m = ps.magnitude
        let whole = m / 1_000_000_000_000, fraction = String(m % 1_000_000_000_000)
        return "\(sign)\(whole)." + String(repeating: "0", count: 12 - fraction.count) + fraction
    }
}
