/// Where and when a click in each slot shows up on the time tagger, relative to the attempt's sync,
/// and the window in which it counts. The attempt loop and the sequencer's herald check share it.
public struct SlotLayout: Sendable, Hashable {
    /// Tagger channel of each click slot (index ``ClickSlot/index``).
    public var channelOfSlot: [Int32]
    /// Extra delay of each slot's window (the late bin of time-bin encoding).
    public var slotDelay: [Duration]
    /// Delay from the attempt's sync to the photon's expected arrival at the detectors.
    public var photonDelay: Duration
    /// Window start relative to the expected arrival (may be negative), and its length.
    public var windowStart: Duration
    public var windowLength: Duration

    public init(channelOfSlot: [Int32], slotDelay: [Duration], photonDelay: Duration, windowStart: Duration,
                windowLength: Duration) {
        precondition(channelOfSlot.count == 4 && slotDelay.count == 4)
        self.channelOfSlot = channelOfSlot
        self.slotDelay = slotDelay
        self.photonDelay = photonDelay
        self.windowStart = windowStart
        self.windowLength = windowLength
    }

    /// Polarisation: four detectors, one per slot, no extra delay.
    public static func polarization(channels: [Int32], photonDelay: Duration, windowStart: Duration,
                                    windowLength: Duration) -> SlotLayout {
        SlotLayout(channelOfSlot: channels, slotDelay: Array(repeating: .zero, count: 4), photonDelay: photonDelay,
                   windowStart: windowStart, windowLength: windowLength)
    }

    /// Time-bin: two detectors (outputs c and d); the late mode arrives one bin separation later.
    public static func timeBin(detectorC: Int32, detectorD: Int32, binSeparation: Duration, photonDelay: Duration,
                               windowStart: Duration, windowLength: Duration) -> SlotLayout {
        SlotLayout(channelOfSlot: [detectorC, detectorC, detectorD, detectorD],
                   slotDelay: [.zero, binSeparation, .zero, binSeparation], photonDelay: photonDelay,
                   windowStart: windowStart, windowLength: windowLength)
    }

    /// Start of `slot`'s window in picoseconds after the sync.
    public func windowOpens(_ slot: Int) -> Int64 {
        (photonDelay + slotDelay[slot] + windowStart).inPicoseconds
    }
}
