import Foundation

/// An output that follows its target with a first-order response (an emulated laser's power servo):
/// each time the emulator looks, the output has moved towards the target it was driven to by
/// `1 − e^(−Δt/τ)` of the way.
struct FirstOrderResponse {
    /// The time constant τ, in seconds.
    let timeConstant: Double
    /// The output now, as of the last ``advance(toward:at:)``.
    private(set) var value = 0.0
    private var lastUpdate: Double

    /// An output at `initial` (zero unless given) at time `start` (seconds on the emulator's clock).
    init(timeConstant: Double, start: Double, initial: Double = 0) {
        self.timeConstant = timeConstant
        lastUpdate = start
        value = initial
    }

    /// Moves the output from the last update to time `t` (seconds), driven to `target` meanwhile.
    mutating func advance(toward target: Double, at t: Double) {
        value = target + (value - target) * exp(-(t - lastUpdate) / timeConstant)
        lastUpdate = t
    }
}
