/// The physical technology of a single-photon detector.
public enum DetectorKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Superconducting nanowire: high efficiency, low dark counts; latches when over-biased.
    case snspd
    /// Single-photon avalanche diode.
    case spad
    /// Photomultiplier tube.
    case pmt

    /// The band a detector of this kind is built for, when the lab YAML does not say: an SNSPD absorbs from the
    /// UV to the mid-infrared (its cavity is tuned to one band, so give the band explicitly for an optimised
    /// device); a silicon SPAD 350–1000 nm (Si absorption edge at 1.1 µm, e.g. Excelitas SPCM-AQRH datasheet,
    /// 400–1060 nm); a bialkali or multialkali PMT 160–900 nm (Hamamatsu photocathode tables). An InGaAs SPAD
    /// for telecom photons is a `spad` with `min_wavelength_nm: 900` and `max_wavelength_nm: 1700`.
    public var typicalWavelengths: ClosedRange<Wavelength> {
        switch self {
        case .snspd: .nanometers(250)...(.nanometers(2500))
        case .spad: .nanometers(350)...(.nanometers(1000))
        case .pmt: .nanometers(160)...(.nanometers(900))
        }
    }
}

/// The figures of merit of a single-photon detector at its operating point.
public struct DetectorSpec: Sendable, Hashable {
    public var kind: DetectorKind
    /// Probability that a photon reaching the detector produces a click.
    public var efficiency: Efficiency
    public var darkCountRate: Frequency
    /// Time after a click during which the detector is blind.
    public var deadTime: Duration
    /// Timing jitter, the standard deviation of a Gaussian.
    public var jitterSigma: Duration
    /// Probability that a click is followed by a spurious afterpulse.
    public var afterpulseProbability: Probability
    /// Mean delay of an afterpulse after its parent click (exponential).
    public var afterpulseDelay: Duration

    public init(kind: DetectorKind, efficiency: Efficiency, darkCountRate: Frequency, deadTime: Duration,
                jitterSigma: Duration, afterpulseProbability: Probability, afterpulseDelay: Duration) {
        self.kind = kind
        self.efficiency = efficiency
        self.darkCountRate = darkCountRate
        self.deadTime = deadTime
        self.jitterSigma = jitterSigma
        self.afterpulseProbability = afterpulseProbability
        self.afterpulseDelay = afterpulseDelay
    }
}

/// Whether an SNSPD has switched into its resistive (latched) state.
public enum LatchState: Sendable, Hashable {
    case normal
    /// Latched: no clicks until the bias is removed and restored.
    case latched
    /// The detector kind cannot latch.
    case notApplicable
}

/// A single-photon detector on one time-tagger channel.
public protocol PhotonDetector: Device {
    /// The time-tagger input this detector is wired to.
    var channel: Int32 { get }
    /// The allowed bias range (for SNSPDs; SPADs report their gate voltage range as current-equivalent 0).
    var biasLimit: SetpointLimit<Current> { get }
    /// Figures of merit at the current operating point.
    func spec() async throws(PhotonDetectorError) -> DetectorSpec
    /// Enables or disables the detector (bias on/off, gate on/off).
    func setEnabled(_ on: Bool) async throws(PhotonDetectorError)
    /// Sets the bias current; out-of-range values are refused before sending.
    func setBias(_ bias: Current) async throws(PhotonDetectorError)
    /// The present bias setpoint.
    func bias() async throws(PhotonDetectorError) -> Current
    /// Whether the detector is latched.
    func latchState() async throws(PhotonDetectorError) -> LatchState
    /// Removes and restores the bias to recover a latched SNSPD. Returns the state afterwards.
    func recoverFromLatch() async throws(PhotonDetectorError) -> LatchState
}
