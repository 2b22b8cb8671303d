/// Holds a simulated run to a fixed ratio of lab time to wall time (for example 1 for real time), so
/// that a simulation can stand in for a running lab: a dashboard sees heralds arrive at the lab's pace,
/// and a test can stop a run mid-way. Wall time comes from the injected clock.
public struct Pacing: Sendable {
    /// Lab seconds allowed per wall second.
    public var labPerWall: Double
    public var clock: ContinuousClock

    /// The paces a run accepts: from a microsecond of lab time per wall second to 10¹² times real time.
    public static let allowed: ClosedRange<Double> = 1e-6...1e12

    public init(labPerWall: Double, clock: ContinuousClock = ContinuousClock()) {
        precondition(Self.allowed.contains(labPerWall), "pace \(labPerWall) outside \(Self.allowed)")
        self.labPerWall = labPerWall
        self.clock = clock
    }

    /// Sleeps until `lab` of lab time is due at this pace, counting from `start` on the wall clock.
    func wait(lab: Duration, since start: ContinuousClock.Instant) async {
        // In seconds (Double), so that no Duration arithmetic can overflow; a due time past a year away
        // is waited for a year at a time (the run is stopped long before).
        let wall = min(lab.inSeconds / labPerWall, 3.2e7)
        let due = start + .secondsDouble(wall)
        if clock.now < due { try? await clock.sleep(until: due) }
    }
}
