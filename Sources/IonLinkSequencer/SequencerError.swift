import IonLink

/// Why a heralding run stopped early.
public enum SequencerError: Error, Sendable, CustomStringConvertible {
    case laser(LaserError)
    case detector(PhotonDetectorError)
    case trap(TrapControllerError)
    case pulses(PulseGeneratorError)
    case attemptLoop(AttemptLoopError)
    case identification(device: String, message: String)
    case noStopCondition
    /// The run's lab time ran out while a fault was being recovered from: the run ends there, as its
    /// stop condition says, not as a failure.
    case stopReached

    public var description: String {
        switch self {
        case let .laser(e): "laser: \(e)"
        case let .detector(e): "detector: \(e)"
        case let .trap(e): "trap: \(e)"
        case let .pulses(e): "pulse generator: \(e)"
        case let .attemptLoop(e): "\(e)"
        case let .identification(d, m): "\(d): identification failed: \(m)"
        case .noStopCondition: "a run needs --attempts, --heralds or --duration"
        case .stopReached: "the run's lab time ran out while recovering"
        }
    }
}
