import Foundation

/// A laser as configured: wavelength, power setpoint and the limit no setpoint may exceed.
public struct LaserConfig: Sendable, Hashable {
    public var wavelength: Wavelength
    public var power: Power
    public var maxPower: Power
}

/// A trap as configured.
public struct TrapConfig: Sendable, Hashable {
    public var electrodes: Int
    public var electrodeLimit: Voltage
    public var rfFrequency: Frequency
    public var rfAmplitude: Voltage
    /// The RF amplitude no setpoint may exceed.
    public var maxRFAmplitude: Voltage
    public var ionCountRate: Frequency
    public var backgroundCountRate: Frequency
    public var readoutFidelity: Probability
    public var readoutDuration: Duration
    public var meanLoadTime: Duration
    /// The readout by instruments (`threshold_readout`), when the node binds its counter and qubit drive.
    public var thresholdReadout: ThresholdReadoutConfig? = nil
}

/// One ion-trap node and its photon's path to the hub.
public struct NodeConfig: Sendable, Hashable {
    public var name: String
    /// Species preset key (see `Species.presets`).
    public var species: String
    public var excitationProbability: Probability
    public var doubleExcitationProbability: Probability
    public var objectiveNA: Double
    public var dipole: DipolePattern
    public var fiberCoupling: Efficiency
    public var opticsTransmission: Efficiency
    public var fiberLength: Length
    public var fiberAttenuation: Attenuation
    public var photonArrivalOffset: Duration
    public var frequencyOffset: Frequency
    /// Polarisation misalignment, radians.
    public var polarizationError: Double
    public var lossProbabilityPerAttempt: Probability
    /// Background-gas collision loss rate.
    public var backgroundLossRate: Frequency
    public var cooling: LaserConfig
    public var excitation: LaserConfig
    public var trap: TrapConfig
    /// Frequency conversion between the collection optics and the long fiber (`conversion`): none, one or two
    /// stages, in the photon's order. The fiber's attenuation and the detector then see the last output wavelength.
    public var conversion: [ConversionStageConfig] = []
    /// The line of `species` in the lab YAML, for errors found when the lab's physics is built.
    public var speciesLine: Int = 1
    /// Probability that an excited ion's photon leaves the vacuum system into the collection optics
    /// (`photon_source_efficiency`; for a cavity node, emission into the cavity mode times its out-coupling). When
    /// given it replaces the species' branching ratio and the objective's collection; nil: both are computed.
    public var photonSourceEfficiency: Probability? = nil
}

/// The hub's detectors as configured.
public struct DetectorConfig: Sendable, Hashable {
    /// The detector's figures of merit at the configured bias.
    public var spec: DetectorSpec
    public var bias: Current
    public var switchingCurrent: Current
    public var maxBias: Current
    /// An SNSPD's efficiency curve against bias (`efficiency_inflection_ua`, `efficiency_width_ua`); nil:
    /// flat while biased.
    public var efficiencyCurve: EfficiencyCurve? = nil
    /// The wavelengths the detector was made for (`min_wavelength_nm`, `max_wavelength_nm`, else its kind's
    /// ``DetectorKind/typicalWavelengths``): a photon outside them is a configuration error, not a dim click.
    public var wavelengths: ClosedRange<Wavelength> = Wavelength(si: 0)...Wavelength(si: 1)
}

/// The detection hub as configured.
public struct HubConfig: Sendable, Hashable {
    public var detector: DetectorConfig
    public var windowStart: Duration
    public var windowLength: Duration
    public var timeBinSeparation: Duration
    /// Tagger channel of slots c0, c1, d0, d1.
    public var channels: [Int32]
    public var syncChannel: Int32
    public var taggerResolution: Duration
    /// The coincidence unit that ends a burst at a herald in hardware (`hub.herald_stop`), if the lab has one.
    public var heraldStop: HeraldStopConfig? = nil

    /// The detectors' channels, one per distinct channel of ``channels``, in ascending order: the k-th
    /// detector (and its bias source) is the one on the k-th of these.
    public var detectorChannels: [Int32] { Array(Set(channels)).sorted() }
}

/// Timing of the protocol as configured.
public struct TimingConfig: Sendable, Hashable {
    public var cool: Duration
    public var pump: Duration
    public var excite: Duration
    public var detect: Duration
    public var attemptsPerCool: Int
    public var heatingQuantaPerAttempt: Double
    public var heatingBudgetQuanta: Double
    public var ionCheckEveryBursts: Int
    public var ionCheckExposure: Duration
    public var fluorescenceThreshold: Int
    public var loadTimeout: Duration

    /// Attempts before re-cooling: the configured count, or fewer if heating would exceed its budget.
    public var effectiveAttemptsPerCool: Int {
        guard heatingQuantaPerAttempt > 0 else { return attemptsPerCool }
        return max(1, min(attemptsPerCool, Int(heatingBudgetQuanta / heatingQuantaPerAttempt)))
    }
}

/// A whole lab: two nodes (one for an ion–photon link), the hub and the protocol's timing. Read it with
/// ``LabConfig/parse(yaml:speciesKeys:)``.
public struct LabConfig: Sendable, Hashable {
    public var name: String
    public var encoding: PhotonEncoding
    /// The nodes, A then B; an ion–photon link (``link``) has A only.
    public var nodes: [NodeConfig]
    public var hub: HubConfig
    public var timing: TimingConfig
    /// Instruments bound to roles (the optional `devices:` section); unbound roles are simulated.
    public var devices: [DeviceBinding] = []
    /// What the lab entangles (`link:`): two ions (the default), or one ion with its photon.
    public var link: LinkConfig = .ionIon

    /// The YAML of the built-in default lab.
    public static func defaultYAML() throws(ConfigError) -> String {
        guard let url = Bundle.module.url(forResource: "default-lab", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw .unreadable(path: "default-lab.yaml", message: "resource missing from the IonLink bundle")
        }
        return text
    }
}
