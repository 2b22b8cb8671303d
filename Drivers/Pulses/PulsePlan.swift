import IonLink

/// A pulse generator's timing limits, which a sequence is planned against.
public struct PulseTiming: Sendable, Hashable {
    /// Resolution of delays and widths: step edges fall on this grid.
    public var edgeGrid: Duration
    /// The shortest pulse an output makes.
    public var minimumWidth: Duration
    /// Resolution of the repetition (burst) period; the attempt period is rounded up to it.
    public var periodGrid: Duration
    public var minimumPeriod: Duration
    /// The longest period (and the latest edge).
    public var maximumPeriod: Duration
    /// The most repetitions one trigger may fire.
    public var maximumBurst: Int

    public init(edgeGrid: Duration, minimumWidth: Duration, periodGrid: Duration, minimumPeriod: Duration, maximumPeriod: Duration,
                maximumBurst: Int) {
        self.edgeGrid = edgeGrid
        self.minimumWidth = minimumWidth
        self.periodGrid = periodGrid
        self.minimumPeriod = minimumPeriod
        self.maximumPeriod = maximumPeriod
        self.maximumBurst = maximumBurst
    }

    /// `t` on the edge grid (nearest point, as the instruments round).
    func onGrid(_ t: Duration) -> Duration {
        let g = edgeGrid.inPicoseconds, ps = t.inPicoseconds
        return .picoseconds((ps + g / 2) / g * g)
    }

    /// Checks a burst count against the instrument's range.
    public func checkBurst(count: Int, device: String) throws(PulseGeneratorError) {
        guard (1...maximumBurst).contains(count) else {
            throw .unproducible(device: device, "burst of \(count) attempts outside 1…\(maximumBurst)")
        }
    }
}

/// How a ``PulseSequence`` becomes an instrument's output pulses: the steps follow one another, and a
/// step whose role has an output becomes one pulse on it (its start after the attempt's trigger and its
/// length); the attempt repeats with the sequence's period, rounded up to the period grid (the last step
/// absorbs the difference). Step edges fall on the edge grid (rounded to the nearest point, as the
/// instruments round; far below their tens of picoseconds of jitter). Pure: a sequence the instrument
/// cannot make is refused before anything is sent.
public struct PulsePlan<Output: Hashable & Sendable & CustomStringConvertible>: Sendable, Hashable {
    /// One output pulse: its start after the trigger and its length.
    public struct Pulse: Sendable, Hashable {
        public var output: Output
        public var role: PulseRole
        public var start: Duration
        public var width: Duration
    }

    /// The output pulses, in sequence order.
    public var pulses: [Pulse]
    /// The attempt period as the instrument makes it.
    public var period: Duration
    /// The sequence as produced: edges on the grid, its last step lengthened by the period's rounding.
    public var produced: PulseSequence

    /// Plans `sequence` with `outputs` giving each role's outputs, one per occurrence of the role in an
    /// attempt (time-bin excites twice, so it needs two outputs); a role without outputs makes no pulse.
    public init(_ sequence: PulseSequence, outputs: [PulseRole: [Output]], timing: PulseTiming, device: String)
        throws(PulseGeneratorError)
    {
        guard !sequence.steps.isEmpty else { throw .emptySequence(device: device) }
        var start = Duration.zero, end = Duration.zero, seen: [PulseRole: Int] = [:], pulses: [Pulse] = [], steps: [PulseStep] = []
        for step in sequence.steps {
            guard step.duration >= timing.edgeGrid else {
                throw .stepTooShort(device: device, step: "\(step.role.rawValue) \(step.duration)", minimum: timing.edgeGrid)
            }
            end += step.duration
            let width = timing.onGrid(end) - start
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
                guard width >= timing.minimumWidth else {
                    throw .stepTooShort(device: device, step: "\(step.role.rawValue) \(width)", minimum: timing.minimumWidth)
                }
                pulses.append(Pulse(output: mapped[k], role: step.role, start: start, width: width))
            }
            start += width
        }
        guard !pulses.isEmpty else { throw .unproducible(device: device, "no step of the sequence has an output") }
        guard start <= timing.maximumPeriod else { throw .unproducible(device: device, "attempt period \(start) past \(timing.maximumPeriod)") }
        let grid = timing.periodGrid.inPicoseconds
        let rounded = Duration.picoseconds((start.inPicoseconds + grid - 1) / grid * grid)
        guard rounded >= timing.minimumPeriod else {
            throw .unproducible(device: device, "attempt period \(start) is below the \(timing.minimumPeriod) the instrument can repeat at")
        }
        self.pulses = pulses
        period = rounded
        steps[steps.count - 1].duration += rounded - start
        produced = PulseSequence(steps)
    }

    /// A duration in seconds, fixed point with `decimals` decimals (exact: integer arithmetic on picoseconds).
    public static func seconds(_ d: Duration, decimals: Int = 12, sign: Bool = false) -> String {
        let ps = d.inPicoseconds, m = ps.magnitude
        let scaled = decimals >= 12 ? m : (m + UInt64(pow10(12 - decimals) / 2)) / UInt64(pow10(12 - decimals))
        let unit = UInt64(pow10(min(decimals, 12)))
        let fraction = String(scaled % unit)
        let digits = String(repeating: "0", count: min(decimals, 12) - fraction.count) + fraction
        return (ps < 0 ? "-" : sign ? "+" : "") + "\(scaled / unit)." + digits + String(repeating: "0", count: max(0, decimals - 12))
    }

    private static func pow10(_ n: Int) -> Int64 { (0..<n).reduce(1) { r, _ in r * 10 } }
}
