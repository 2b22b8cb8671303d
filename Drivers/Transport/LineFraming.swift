/// How an instrument frames its line protocol: what ends a command, what ends a reply line, and how
/// reply bytes decode. Each line-based driver publishes its own (`framing`), so a session over any
/// transport can be made for it.
public struct LineFraming: Sendable, Hashable {
    public var commandTerminator: String
    public var replyTerminator: String
    /// Replies are ISO 8859-1 (instruments that print `°`), not UTF-8.
    public var latin1: Bool

    public init(commandTerminator: String, replyTerminator: String, latin1: Bool = false) {
        self.commandTerminator = commandTerminator
        self.replyTerminator = replyTerminator
        self.latin1 = latin1
    }
}
