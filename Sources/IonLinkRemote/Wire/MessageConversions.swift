import IonLink

// Values ↔ messages. SI units on the wire (W, V, A, Hz, m); durations and tags in integer picoseconds.

extension Ionlink_V1_Range {
    init<Q: PhysicalQuantity>(_ limit: SetpointLimit<Q>) {
        self.init()
        lower = limit.lower.si
        upper = limit.upper.si
    }
    /// The limit; a malformed range (crossed, or not finite) allows nothing but zero.
    func limit<Q: PhysicalQuantity>(_: Q.Type = Q.self) -> SetpointLimit<Q> {
        guard lower.isFinite, upper.isFinite, lower <= upper else { return SetpointLimit(.zero, .zero) }
        return SetpointLimit(Q(si: lower), Q(si: upper))
    }
}

extension Ionlink_V1_RFDrive {
    init(_ d: RFDrive) {
        self.init()
        frequencyHz = d.frequency.hertz
        amplitudeV = d.amplitude.volts
    }
    var drive: RFDrive { RFDrive(frequency: .hertz(frequencyHz), amplitude: .volts(amplitudeV)) }
}

extension PauliBasis {
    init?(_ b: Ionlink_V1_Basis) {
        switch b {
        case .x: self = .x
        case .y: self = .y
        case .z: self = .z
        default: return nil
        }
    }
    var wire: Ionlink_V1_Basis {
        switch self {
        case .x: .x
        case .y: .y
        case .z: .z
        }
    }
}

extension Ionlink_V1_Latch {
    init(_ s: LatchState) {
        switch s {
        case .normal: self = .normal
        case .latched: self = .latched
        case .notApplicable: self = .notApplicable
        }
    }
    var state: LatchState? {
        switch self {
        case .normal: .normal
        case .latched: .latched
        case .notApplicable: .notApplicable
        default: nil
        }
    }
}

extension Ionlink_V1_DetectorSpec {
    init(_ s: DetectorSpec) {
        self.init()
        kind = s.kind.rawValue
        efficiency = s.efficiency.value
        darkCountRateHz = s.darkCountRate.hertz
        deadTimePs = s.deadTime.inPicoseconds
        jitterSigmaPs = s.jitterSigma.inPicoseconds
        afterpulseProbability = s.afterpulseProbability.value
        afterpulseDelayPs = s.afterpulseDelay.inPicoseconds
    }
    var spec: DetectorSpec? {
        guard let k = DetectorKind(rawValue: kind), (0...1).contains(efficiency), (0...1).contains(afterpulseProbability) else { return nil }
        return DetectorSpec(kind: k, efficiency: Probability(unchecked: efficiency), darkCountRate: .hertz(darkCountRateHz),
                            deadTime: .picoseconds(deadTimePs), jitterSigma: .picoseconds(jitterSigmaPs),
                            afterpulseProbability: Probability(unchecked: afterpulseProbability),
                            afterpulseDelay: .picoseconds(afterpulseDelayPs))
    }
}

extension Ionlink_V1_Herald {
    init(_ h: HeraldEvent) {
        self.init()
        attemptIndex = h.attemptIndex
        firstSlot = Int32(h.pattern.first.index)
        secondSlot = Int32(h.pattern.second.index)
        tags = h.tags.map { t in .with { $0.channel = t.channel; $0.timePs = t.picoseconds } }
        syncPs = h.syncPicoseconds
    }
    /// The herald, if its two slots form one of the four heralding patterns.
    var event: HeraldEvent? {
        guard let pattern = HeraldPattern.all.first(where: { Int32($0.first.index) == firstSlot && Int32($0.second.index) == secondSlot })
        else { return nil }
        return HeraldEvent(attemptIndex: attemptIndex, pattern: pattern, tags: tags.map { TimeTag(channel: $0.channel, picoseconds: $0.timePs) },
                           syncPicoseconds: syncPs)
    }
}

extension Ionlink_V1_DeviceDescription {
    /// The capabilities this IonLink knows among those the node lists.
    var deviceCapabilities: Set<DeviceCapability> { Set(capabilities.compactMap(DeviceCapability.init(rawValue:))) }
}
