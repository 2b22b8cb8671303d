import IonLink

/// An emulated laser that tells the world what light it sends to the ion: the optical power its servo
/// is driving the output to (zero when emission is off, interlocked or faulted), reported from the
/// emulator's own thread after each command that changes it.
public protocol LightEmitting: AnyObject {
    /// Called with the new emitted power each time a command changes it.
    var emissionChanged: ((Power) -> Void)? { get set }
    /// The power the output is driving to now.
    var emittedPower: Power { get }
}

/// The last power reported, so that only changes are reported.
public struct EmissionReport {
    private var last: Power?

    public init() {}

    /// Calls `handler` with `power` if it differs from the last power reported.
    public mutating func report(_ power: Power, to handler: ((Power) -> Void)?) {
        guard let handler, power != last else { return }
        last = power
        handler(power)
    }
}
