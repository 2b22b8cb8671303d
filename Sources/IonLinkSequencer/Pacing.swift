/// Holds a simulated run to a fixed ratio of lab time to wall time (for example 1 for real time), so
/// that a simulation can stand in for a running lab: a dashboard sees heralds arrive at the lab's pace,
/// and a test can stop a run mid-way. Wall time comes from the injected clock.
public struct Pacing: Sendable {
    /// Lab seconds allowed per wall second.
    public var labPerWall: Double
    public var clock: ContinuousClock

    public init(labPerWall: Double, clock: ContinuousClock = ContinuousClock()) {
        precondition(labPerWall > 0, "pace must be positive")
        self.labPerWall = labPerWall
        self.clock = clock
    }

    /// Sleeps until `lab` of lab time is due at this pace, counting from `start` on the wall clock.
    func wait(lab: Duration, since start: ContinuousClock.Instant) async {
        let due = start + lab / labPerWall
        if clock.now < due { try? await clock.sleep(until: due) }
    }
}
