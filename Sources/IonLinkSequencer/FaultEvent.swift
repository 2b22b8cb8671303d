import IonLink

/// A fault the sequencer recovered from: which device, what kind, and the lab time (since the run
/// began) from when it was noticed to when the lab was working again.
public struct FaultEvent: Sendable, Hashable {
    public var kind: RecoverableFault
    public var device: String
    public var noticed: Duration
    public var recovered: Duration

    public init(kind: RecoverableFault, device: String, noticed: Duration, recovered: Duration) {
        self.kind = kind
        self.device = device
        self.noticed = noticed
        self.recovered = recovered
    }
}
