/// A probability or an efficiency: a number validated to lie in 0...1.
public struct Probability: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The value in 0...1.
    public let value: Double

    /// Creates a probability, throwing ``UnitError/outOfRange(_:value:allowed:)`` outside 0...1.
    public init(_ value: Double) throws(UnitError) {
        guard value.isFinite, value >= 0, value <= 1 else {
            throw .outOfRange("probability", value: value, allowed: "0...1")
        }
        self.value = value
    }

    /// Creates a probability from a value the caller has already proven to be in 0...1.
    public init(unchecked value: Double) {
        precondition(value >= 0 && value <= 1, "probability \(value) outside 0...1")
        self.value = value
    }

    public static let zero = Probability(unchecked: 0)
    public static let one = Probability(unchecked: 1)
    public static func < (a: Probability, b: Probability) -> Bool { a.value < b.value }
    /// The product of independent probabilities.
    public static func * (a: Probability, b: Probability) -> Probability { Probability(unchecked: a.value * b.value) }
    /// The complementary probability 1 − p.
    public var complement: Probability { Probability(unchecked: 1 - value) }
    public var description: String { "\(value)" }

    public init(from decoder: any Decoder) throws {
        let v = try decoder.singleValueContainer().decode(Double.self)
        try self.init(v)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

/// An efficiency is a probability (of a photon surviving a stage).
public typealias Efficiency = Probability

/// A value that cannot form a valid physical quantity.
public enum UnitError: Error, Equatable, CustomStringConvertible {
    case outOfRange(String, value: Double, allowed: String)
    public var description: String {
        switch self {
        case let .outOfRange(what, value, allowed): "\(what) \(value) is outside \(allowed)"
        }
    }
}
