import ArgumentParser
import IonLinkSequencer

/// When a run (or each point of a sweep) stops: after attempts, heralds or lab time; 10 s of lab time
/// when none is given.
struct StopOptions: ParsableArguments {
    @Option(help: "Stop after this many attempts.")
    var attempts: Int64?

    @Option(help: "Stop after this many heralds.")
    var heralds: Int?

    @Option(help: "Stop after this much lab time, e.g. 10s, 500ms, 2m (default 10s when no stop is given).")
    var duration: LabDuration?

    var isEmpty: Bool { attempts == nil && heralds == nil && duration == nil }

    var condition: StopCondition {
        StopCondition(attempts: attempts, heralds: heralds, labTime: isEmpty ? .seconds(10) : duration?.duration)
    }

    func validate() throws {
        if let a = attempts, a <= 0 { throw ValidationError("--attempts must be positive") }
        if let h = heralds, h <= 0 { throw ValidationError("--heralds must be positive") }
    }
}
