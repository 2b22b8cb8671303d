import IonLink

extension SlotLayout {
    /// The sync channel the engine uses for heralds checked one attempt at a time (no tagger input).
    public static let attemptSyncChannel: Int32 = -1

    /// A herald engine for this layout: one slot per click slot, windows relative to the attempt's sync,
    /// and the four Bell-state patterns of ``HeraldPattern/all``.
    ///
    /// - Parameter resolution: the tagger's time bin. Its sync and its clicks are each truncated to the
    ///   bin, so a click's time after the sync is off by less than one bin either way; each window is
    ///   widened by one bin at both ends so that no click the window holds is lost to the binning.
    public func heraldEngine(syncChannel: Int32 = SlotLayout.attemptSyncChannel, resolution: Duration = .picoseconds(1)) -> HeraldEngine {
        let length = windowLength.inPicoseconds
        let margin = max(0, resolution.inPicoseconds - 1)
        let slots = (0..<4).map {
            EngineSlot(channel: channelOfSlot[$0], window: (windowOpens($0) - margin)...(windowOpens($0) + length + margin))
        }
        let patterns = HeraldPattern.all.map { EnginePattern(name: $0.description, slots: [$0.first.index, $0.second.index]) }
        return HeraldEngine(syncChannel: syncChannel, slots: slots, patterns: patterns)
    }

    /// The herald pattern one attempt's tags make, decided by the herald engine.
    public func classify(_ tags: [TimeTag], sync: Int64) -> HeraldPattern? {
        heraldEngine().pattern(ofAttempt: tags, sync: sync).map { HeraldPattern.all[$0] }
    }
}
