/// One detection event: an input channel and its arrival time in integer picoseconds.
public struct TimeTag: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The time tagger input that fired (0-based).
    public var channel: Int32
    /// Arrival time in picoseconds since the tagger's epoch.
    public var picoseconds: Int64

    public init(channel: Int32, picoseconds: Int64) {
        self.channel = channel
        self.picoseconds = picoseconds
    }

    /// Orders by time, then by channel.
    public static func < (a: TimeTag, b: TimeTag) -> Bool {
        (a.picoseconds, a.channel) < (b.picoseconds, b.channel)
    }
    public var description: String { "ch\(channel)@\(picoseconds)ps" }
}
