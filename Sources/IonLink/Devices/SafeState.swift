/// One action taken to bring a lab to a safe state, and its outcome.
public struct SafeStateStep: Sendable, Hashable, CustomStringConvertible {
    public var device: String
    public var action: String
    /// Why the action failed, or nil when it was done.
    public var failure: String?

    public var description: String { "\(device): \(action)" + (failure.map { " FAILED: \($0)" } ?? "") }
}

extension Lab {
    /// Brings the lab to the state it may be left in unattended: the pulse generator stopped, every
    /// laser's emission off and every detector disabled (its bias off, so an SNSPD cannot sit latched and heating). The traps keep their
    /// RF and DC voltages, so the ions stay trapped for the next run. Every device is tried even when
    /// another fails; the steps say what was done.
    public func bringToSafeState() async -> [SafeStateStep] {
        var steps: [SafeStateStep] = []
        do throws(PulseGeneratorError) {
            try await pulses.stop()
            steps.append(SafeStateStep(device: pulses.name, action: "triggering stopped"))
        } catch { steps.append(SafeStateStep(device: pulses.name, action: "triggering stopped", failure: "\(error)")) }
        for node in nodes {
            // The converter's pump too: watts of infrared, no use while nothing is attempted.
            for laser in [node.excitation, node.cooling] + (node.converterPump.map { [$0] } ?? []) {
                do throws(LaserError) {
                    try await laser.setEmission(false)
                    steps.append(SafeStateStep(device: laser.name, action: "emission off"))
                } catch { steps.append(SafeStateStep(device: laser.name, action: "emission off", failure: "\(error)")) }
            }
            steps.append(SafeStateStep(device: node.trap.name, action: "RF and DC held (ions stay trapped)"))
            if let oven = node.converterOven {
                steps.append(SafeStateStep(device: oven.name, action: "held at its setpoint (the crystal stays phase-matched; no light reaches it)"))
            }
        }
        for detector in detectors {
            do throws(PhotonDetectorError) {
                try await detector.setEnabled(false)
                steps.append(SafeStateStep(device: detector.name, action: "disabled (bias off)"))
            } catch { steps.append(SafeStateStep(device: detector.name, action: "disabled (bias off)", failure: "\(error)")) }
        }
        return steps
    }
}
