import IonLink
import IonLinkSequencer

/// Something that follows a ``RunSession``: a run record, a progress line, a live board. Every method
/// has a default that does nothing, so an observer implements only what it needs. Calls come from the
/// run's task; an observer must not block it.
public protocol RunObserver: Sendable {
    /// Whether the observer wants the tagger's raw stream (``tags(_:)``); the session streams tags only
    /// when one does.
    var wantsTags: Bool { get }
    /// The run's totals after a burst.
    func progress(_ totals: RunResult)
    /// A herald handed over, with the totals after it.
    func herald(_ herald: HeraldRecord, totals: RunResult)
    /// A batch of raw tags from the tagger.
    func tags(_ batch: [TimeTag])
    /// One step of bringing the lab to its safe state after an interrupted or failed run.
    func safeState(_ step: SafeStateStep)
    /// The run's summary, once it has ended (a record is completed here).
    func finished(_ summary: RunSummary) throws
}

extension RunObserver {
    public var wantsTags: Bool { false }
    public func progress(_ totals: RunResult) {}
    public func herald(_ herald: HeraldRecord, totals: RunResult) {}
    public func tags(_ batch: [TimeTag]) {}
    public func safeState(_ step: SafeStateStep) {}
    public func finished(_ summary: RunSummary) throws {}
}
