/// An inclusive allowed range for a setpoint, checked before anything is sent to an instrument.
public struct SetpointLimit<Q: PhysicalQuantity>: Sendable, Hashable {
    public var lower: Q
    public var upper: Q

    public init(_ lower: Q, _ upper: Q) {
        precondition(lower <= upper, "limit \(lower) > \(upper)")
        self.lower = lower
        self.upper = upper
    }

    /// Whether `value` is finite and inside the limits.
    public func allows(_ value: Q) -> Bool { value.isFinite && value >= lower && value <= upper }
}
