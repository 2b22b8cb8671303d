/// A trap controller whose qubit readout is made by instruments, as labs make it, everything else from
/// `base`: the node's qubit drive gives the analysis π/2 pulse whose phase turns the basis into Z (none
/// for Z), then the node's photon counter counts the ion's fluorescence over its gate, and the ion is
/// bright (|0⟩, eigenvalue +1) when the count reaches the threshold, else dark (−1).
///
/// The drive's phase for each basis is given (``phaseFor``) by the lab's calibration of its pulse (see
/// `AnalysisPulse` in IonLinkPhysics): the drive's output is on (armed) for the count, off after it.
public struct TrapControllerWithReadout: TrapControllerDecorator {
    public let base: any TrapController
    /// The photon counter (a tagger counting singles over one gate, the readout's window).
    public let counter: any PhotonCounter
    /// The counter's channel that sees this ion's fluorescence.
    public let channel: Int
    public let drive: any QubitDrive
    /// Counts at or above which the ion reads bright.
    public let threshold: Int
    /// The drive phase of the analysis pulse for a basis; nil: no pulse (Z).
    public let phaseFor: @Sendable (PauliBasis) -> Angle?

    public init(base: any TrapController, counter: any PhotonCounter, channel: Int, drive: any QubitDrive, threshold: Int,
                phaseFor: @escaping @Sendable (PauliBasis) -> Angle?) {
        self.base = base
        self.counter = counter
        self.channel = channel
        self.drive = drive
        self.threshold = threshold
        self.phaseFor = phaseFor
    }

    public var capabilities: Set<DeviceCapability> { base.capabilities.union([.qubitReadout]) }

    /// The counter's identity, with the base trap's model appended.
    public func identify() async throws -> DeviceIdentity { try await identity(of: counter, part: "readout") }

    /// Arms the analysis pulse for `basis` (phase, then output on; output off for Z), counts one gate and
    /// thresholds the count.
    public func measureQubit(in basis: PauliBasis) async throws(TrapControllerError) -> Int {
        do {
            if let phase = phaseFor(basis) {
                try await drive.setPhase(phase)
                try await drive.setOutput(true)
            } else {
                try await drive.setOutput(false)
            }
        } catch {
            throw trapError(error)
        }
        let counts: [Int]
        do { counts = try await counter.singles() } catch {
            switch error.reason {
            case let .instrument(fault): throw TrapControllerError(device: error.device, .instrument(fault))
            case let .kind(k): throw TrapControllerError(device: name, .kind(.readoutFailed(what: "\(counter.name): \(k)")))
            }
        }
        guard counts.indices.contains(channel) else {
            throw TrapControllerError(device: name, .kind(.readoutFailed(what: "\(counter.name) has no channel \(channel)")))
        }
        return counts[channel] >= threshold ? 1 : -1
    }

    /// The trap's error for a failure of its qubit drive.
    private func trapError(_ error: RFSourceError) -> TrapControllerError {
        switch error.reason {
        case .kind: TrapControllerError(device: name, .kind(.readoutFailed(what: "\(error)")))
        case let .instrument(fault): TrapControllerError(device: error.device, .instrument(fault))
        }
    }
}
