import IonLink

/// One accepted herald as the sequencer saw it: when, after how many attempts, which pattern, and the
/// verification measurement that followed.
public struct HeraldRecord: Sendable, Hashable {
    /// Lab time since the run began.
    public var labTime: Duration
    /// Attempts made in the run up to and including the heralding one.
    public var attempt: Int64
    /// Index into ``HeraldPattern/all``.
    public var pattern: Int
    public var basis: PauliBasis
    /// Ion A's and ion B's measured eigenvalues (±1).
    public var eigenvalueA: Int
    public var eigenvalueB: Int
    /// The sync of the heralding attempt and its clicks, tagger picoseconds.
    public var syncPicoseconds: Int64
    public var clicks: [TimeTag]

    public init(labTime: Duration, attempt: Int64, pattern: Int, basis: PauliBasis, eigenvalueA: Int, eigenvalueB: Int,
                syncPicoseconds: Int64, clicks: [TimeTag]) {
        self.labTime = labTime
        self.attempt = attempt
        self.pattern = pattern
        self.basis = basis
        self.eigenvalueA = eigenvalueA
        self.eigenvalueB = eigenvalueB
        self.syncPicoseconds = syncPicoseconds
        self.clicks = clicks
    }
}
