/// A pulse generator that fires bursts of its programmed sequence on command, and has an inhibit (gate)
/// input a herald-stop unit can drive: the fast loop made of instruments.
///
/// A herald-stop unit is a coincidence unit (or an FPGA) watching the detectors; on a herald pattern it
/// asserts the generator's inhibit input, which holds off the rest of the burst, so the burst ends at
/// the heralding attempt, in hardware, whatever the host's latency.
public protocol BurstFiring: PulseGenerator {
    /// Fires one burst of `count` repetitions of the programmed sequence (refused past the hardware's
    /// burst limit before anything is sent).
    func fireBurst(count: Int) async throws(PulseGeneratorError)
    /// Lets (or stops letting) the inhibit input end a burst.
    func enableHeraldStop(_ on: Bool) async throws(PulseGeneratorError)
}
