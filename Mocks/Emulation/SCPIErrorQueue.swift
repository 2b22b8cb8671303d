/// An SCPI instrument's error queue, read oldest first by `SYSTem:ERRor?`, and the standard errors
/// (SCPI-99 §21.8) that the emulators' parameter checks queue.
struct SCPIErrorQueue: Sendable {
    static let undefinedHeader = "-113,\"Undefined header\""
    static let dataType = "-104,\"Data type error\""
    static let dataOutOfRange = "-222,\"Data out of range\""
    static let illegalParameterValue = "-224,\"Illegal parameter value\""

    private var errors: [String] = []

    mutating func append(_ error: String) { errors.append(error) }

    /// The reply to `SYSTem:ERRor?`: the oldest error, taken off the queue, or `0,"No error"`.
    mutating func next() -> String { errors.isEmpty ? "0,\"No error\"" : errors.removeFirst() }

    /// An SCPI boolean parameter (`ON`/`1`, `OFF`/`0`, any case); anything else queues -224 and is nil.
    mutating func boolean(_ text: String) -> Bool? {
        switch text.uppercased() {
        case "ON", "1": return true
        case "OFF", "0": return false
        default:
            append(Self.illegalParameterValue)
            return nil
        }
    }

    /// A numeric parameter (`nil` when it did not parse) if it lies in `range`; otherwise nil, having
    /// queued -104 (not a number) or -222 (out of range).
    mutating func setpoint(_ value: Double?, in range: ClosedRange<Double>) -> Double? {
        guard let value else { append(Self.dataType); return nil }
        guard range.contains(value) else { append(Self.dataOutOfRange); return nil }
        return value
    }
}
