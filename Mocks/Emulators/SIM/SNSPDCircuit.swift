/// The bias circuit of a superconducting nanowire detector, as the SIM928/SIM970 emulators see it: a
/// voltage source drives the nanowire through a bias resistor R_b; the voltmeter reads the voltage
/// across R_b. Superconducting, the wire has no resistance and all of V appears across R_b; latched,
/// a resistive hotspot R_n takes most of it (divider: V_Rb = V·R_b/(R_b + R_n)). The wire latches when
/// the bias current exceeds its switching current, and recovers only once the current falls below the
/// retrapping current (Kerman et al., APL 88, 111116 (2006): latching and recovery of SNSPDs).
public final class SNSPDCircuit {
    public var biasResistorOhms = 100_000.0
    public var latchedResistanceOhms = 1_000_000.0
    public var switchingCurrentAmps = 12e-6
    public var retrappingCurrentAmps = 2e-6
    /// The source's output voltage and whether the output is on.
    public var sourceVolts = 0.0 { didSet { update() } }
    public var outputOn = false { didSet { update() } }
    public private(set) var latched = false

    public init() {}

    private var appliedVolts: Double { outputOn ? sourceVolts : 0 }

    /// Current through the wire.
    public var currentAmps: Double {
        appliedVolts / (biasResistorOhms + (latched ? latchedResistanceOhms : 0))
    }

    /// Voltage across the bias resistor, as the voltmeter reads it.
    public var biasResistorVolts: Double { currentAmps * biasResistorOhms }

    /// A flash of light (or a burst of counts) latching a wire biased close to switching.
    public func forceLatch() {
        if outputOn && sourceVolts != 0 { latched = true }
        reportLive()
    }

    /// Whether the wire detects photons: biased (a current through it) and superconducting, not latched.
    public var isLive: Bool { !latched && currentAmps != 0 }

    /// Called (on the thread that changed the circuit) each time ``isLive`` changes.
    public var liveChanged: ((Bool) -> Void)?
    private var reportedLive: Bool?

    private func reportLive() {
        guard let liveChanged, isLive != reportedLive else { return }
        reportedLive = isLive
        liveChanged(isLive)
    }

    /// Called (on the thread that changed the circuit) with the current through the wire after each change
    /// of the source.
    public var currentChanged: ((Double) -> Void)?

    private func update() {
        if latched {
            if abs(appliedVolts) / biasResistorOhms < retrappingCurrentAmps { latched = false }
        } else if abs(currentAmps) > switchingCurrentAmps {
            latched = true
        }
        reportLive()
        currentChanged?(currentAmps)
    }
}
