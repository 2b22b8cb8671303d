/// Faults an emulated port injects into its replies, counted down reply by reply.
public struct ReplyFaults: Sendable, Hashable {
    /// Delay before every reply.
    public var replyDelay: Duration = .zero
    /// Replies to swallow (the host times out).
    public var dropReplies = 0
    /// Replies to replace with line noise (ended by the usual terminator).
    public var garbleReplies = 0
    /// Replies to cut in half, without their terminator.
    public var truncateReplies = 0
    /// Pull the cable instead of answering the next command.
    public var unplugOnNextCommand = false

    public init() {}
}
