import IonLink

/// Where one attempt's time goes, and what bounds the attempt rate.
///
/// A node may not try again before it hears whether the last attempt heralded, so each attempt waits for the
/// photon's way to the hub and the herald signal's way back, 2·L·n_g/c for the farther node (n_g: fiber group
/// index, ``LabModel/fiberGroupIndex``; about 9.8 µs per km of node–hub fiber). Beyond a few hundred metres that
/// round trip, not the pulse sequence, sets the rate.
public struct AttemptTiming: Sendable, Hashable {
    /// What bounds the attempt rate.
    public enum Limit: String, Sendable, Codable {
        /// The herald's round trip to the farther node is longer than the pulses and the detection window.
        case heraldRoundTrip = "herald round trip"
        /// The pulse sequence and the detection window are longer than the herald's round trip.
        case pulseSequence = "pulse sequence"
    }

    /// Pumping and excitation (with the time-bin wait): the time the ion spends emitting.
    public let emission: Duration
    /// The configured wait for the detectors (`timing.detect_ns`).
    public let detection: Duration
    /// Photon to the hub and herald back, for the farther node.
    public let heraldRoundTrip: Duration

    public init(emission: Duration, detection: Duration, heraldRoundTrip: Duration) {
        self.emission = emission
        self.detection = detection
        self.heraldRoundTrip = heraldRoundTrip
    }

    /// One attempt: emission, then the detection wait and the round trip.
    public var period: Duration { emission + detection + heraldRoundTrip }

    /// Attempts per second of attempting.
    public var rate: Frequency { .hertz(1 / period.inSeconds) }

    /// The fraction of an attempt the ion spends emitting.
    public var emissionDutyCycle: Double { emission.inSeconds / period.inSeconds }

    public var limit: Limit { heraldRoundTrip > emission + detection ? .heraldRoundTrip : .pulseSequence }
}
