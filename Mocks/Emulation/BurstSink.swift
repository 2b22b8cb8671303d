/// What an emulated pulse generator fired: a burst of attempts at its period, and whether its inhibit
/// input (wired to a herald-stop coincidence unit) may end the burst early.
public struct FiredBurst: Sendable, Hashable {
    /// Repetitions the burst was armed for.
    public var count: Int64
    /// The repetition period as the instrument makes it, picoseconds.
    public var periodPicoseconds: Int64
    /// The inhibit input is enabled: a herald-stop signal on it holds off the rest of the burst.
    public var inhibitEnabled: Bool
    public init(count: Int64, periodPicoseconds: Int64, inhibitEnabled: Bool) {
        self.count = count
        self.periodPicoseconds = periodPicoseconds
        self.inhibitEnabled = inhibitEnabled
    }
}

/// Told of every burst an emulated pulse generator fires (an emulated lab's world makes the attempts).
/// Called on the emulator's serving queue.
public protocol BurstSink: AnyObject, Sendable {
    func fired(_ burst: FiredBurst)
}
