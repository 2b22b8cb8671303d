/// A batch of tags in time order, with the count of tags the tagger had to drop before it.
public struct TagBatch: Sendable, Hashable {
    public var tags: [TimeTag]
    /// Tags lost to buffer overflow just before this batch; 0 when none.
    public var overflowLost: Int
    /// Acquisitions whose replies this batch completes, for a tagger that marks each one (0 if it does
    /// not): an acquisition marked and without events is time that passed with nothing seen, which a
    /// reply delayed on its way to the host is not.
    public var acquisitions: Int

    public init(tags: [TimeTag], overflowLost: Int = 0, acquisitions: Int = 0) {
        self.tags = tags
        self.overflowLost = overflowLost
        self.acquisitions = acquisitions
    }
}

/// A multichannel time tagger streaming `(channel, Int64 ps)` tags.
public protocol TimeTagger: Device {
    /// The input channels.
    var channels: [Int32] { get }
    /// The channel that receives the experiment's sync (attempt trigger), if any.
    var syncChannel: Int32? { get }
    /// The digital resolution (bin width) of a tag.
    var resolution: Duration { get }
    /// Starts streaming. The stream ends when ``stopStreaming()`` is called.
    func startStreaming() async throws(TimeTaggerError) -> AsyncStream<TagBatch>
    /// Stops a running stream; the stream then finishes.
    func stopStreaming() async
}
