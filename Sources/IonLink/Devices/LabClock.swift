/// The lab's notion of time: virtual in simulation, the wall clock with real instruments.
public protocol LabClock: Sendable {
    /// Lab time elapsed since the clock's epoch.
    func now() -> Duration
    /// Lets `duration` of lab time pass (sleeps on hardware, advances virtual time in simulation).
    func spend(_ duration: Duration) async
}
