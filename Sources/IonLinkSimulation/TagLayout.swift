import IonLink

/// Where and when a click in each slot shows up on the time tagger.
public struct TagLayout: Sendable, Hashable {
    /// Tagger channel of each click slot (index ``ClickSlot/index``).
    public var channelOfSlot: [Int32]
    /// Extra delay of each slot's window (the late bin of time-bin encoding).
    public var slotDelay: [Duration]
    /// Delay from the attempt's start to the photon's expected arrival at the detectors.
    public var photonDelay: Duration

    public init(channelOfSlot: [Int32], slotDelay: [Duration], photonDelay: Duration) {
        precondition(channelOfSlot.count == 4 && slotDelay.count == 4)
        self.channelOfSlot = channelOfSlot
        self.slotDelay = slotDelay
        self.photonDelay = photonDelay
    }

    /// Polarisation: four detectors, one per slot, no extra delay.
    public static func polarization(channels: [Int32], photonDelay: Duration) -> TagLayout {
        TagLayout(channelOfSlot: channels, slotDelay: Array(repeating: .zero, count: 4), photonDelay: photonDelay)
    }

    /// Time-bin: two detectors (outputs c and d); the late mode arrives one bin separation later.
    public static func timeBin(detectorC: Int32, detectorD: Int32, binSeparation: Duration, photonDelay: Duration) -> TagLayout {
        TagLayout(channelOfSlot: [detectorC, detectorC, detectorD, detectorD],
                  slotDelay: [.zero, binSeparation, .zero, binSeparation], photonDelay: photonDelay)
    }
}
