/// One event a time tagger's inputs saw: its time on the tagger's clock and the inputs that fired in
/// that time bin (bit 0 = input 1; several bits are a coincidence).
public struct TimestampEvent: Sendable, Hashable {
    public var picoseconds: Int64
    public var inputs: UInt8
    public init(picoseconds: Int64, inputs: UInt8) {
        self.picoseconds = picoseconds
        self.inputs = inputs
    }
}

/// Where an emulated time tagger's events come from when something outside it makes them (an emulated
/// lab's world), instead of its own random singles.
public protocol TimestampSource: AnyObject, Sendable {
    /// The events of the next `picoseconds` of the tagger's clock, in time order; the clock moves on by
    /// that much. Called on the emulator's serving queue.
    func acquire(picoseconds: Int64) -> [TimestampEvent]
    /// The tagger starts a fresh acquisition run (it entered timestamp mode): what happened before, while
    /// it was not acquiring, it never saw.
    func discard()
    /// Where the tagger's clock stands, in picoseconds, when the source keeps it (units sharing a lab's
    /// time); nil: the tagger keeps its own, moving on by each acquisition.
    var clockPicoseconds: Int64? { get }
}

extension TimestampSource {
    public func discard() {}
    public var clockPicoseconds: Int64? { nil }
}
