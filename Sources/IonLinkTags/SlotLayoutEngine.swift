import IonLink

extension SlotLayout {
    /// The sync channel the engine uses for heralds checked one attempt at a time (no tagger input).
    public static let attemptSyncChannel: Int32 = -1

    /// A herald engine for this layout: one slot per click slot, windows relative to the attempt's sync,
    /// and the four Bell-state patterns of ``HeraldPattern/all``.
    public func heraldEngine(syncChannel: Int32 = SlotLayout.attemptSyncChannel) -> HeraldEngine {
        let length = windowLength.inPicoseconds
        let slots = (0..<4).map { EngineSlot(channel: channelOfSlot[$0], window: windowOpens($0)...(windowOpens($0) + length)) }
        let patterns = HeraldPattern.all.map { EnginePattern(name: $0.description, slots: [$0.first.index, $0.second.index]) }
        return HeraldEngine(syncChannel: syncChannel, slots: slots, patterns: patterns)
    }

    /// The herald pattern one attempt's tags make, decided by the herald engine.
    public func classify(_ tags: [TimeTag], sync: Int64) -> HeraldPattern? {
        heraldEngine().pattern(ofAttempt: tags, sync: sync).map { HeraldPattern.all[$0] }
    }
}
