/// A fault the lab recovers from, as counted in a run's statistics.
public enum RecoverableFault: String, Sendable, Hashable, CaseIterable, Codable {
    case timeout
    case malformedReply = "malformed_reply"
    case disconnected
    case loadingFailed = "loading_failed"
    case attemptLoop = "attempt_loop"
    /// A latched SNSPD, re-biased.
    case latch
    /// An open laser interlock, waited out, then emission restored.
    case interlock
    /// Tags lost to tagger overflow; the attempts of those bursts are discarded.
    case overflow
    /// A lost ion, reloaded.
    case ionLoss = "ion_loss"
}

/// Whether a failed device call may work if tried again.
public enum DeviceFailure: Sendable, Hashable {
    /// A broken conversation (no reply, a garbled reply, the device off the bus) or a step that may
    /// succeed next time (loading an ion): retry after a pause.
    case transient(RecoverableFault)
    /// Retrying cannot help (a refused setpoint, the wrong instrument, a laser fault).
    case permanent
}

/// A device error that says whether a retry may help.
public protocol ClassifiedDeviceError: Error, Sendable {
    var failure: DeviceFailure { get }
}

extension AttemptLoopError: ClassifiedDeviceError {
    public var failure: DeviceFailure {
        switch self {
        case .deviceFailure: .transient(.attemptLoop)
        case .notArmed, .exhausted: .permanent
        }
    }
}
