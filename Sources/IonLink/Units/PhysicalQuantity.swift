/// A physical quantity stored as one `Double` in its SI base unit.
///
/// Concrete quantities (``Power``, ``Voltage``, …) are distinct types so that a watt can never be
/// passed where a volt is expected; they share arithmetic and comparison through this protocol.
public protocol PhysicalQuantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value in the SI unit of the quantity (W, V, A, Hz, m, K).
    var si: Double { get }
    /// Creates the quantity from its SI value.
    init(si: Double)
    /// The SI unit symbol used by ``description``.
    static var unitSymbol: String { get }
}

extension PhysicalQuantity {
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.si < rhs.si }
    public static func + (lhs: Self, rhs: Self) -> Self { Self(si: lhs.si + rhs.si) }
    public static func - (lhs: Self, rhs: Self) -> Self { Self(si: lhs.si - rhs.si) }
    public static func * (lhs: Self, rhs: Double) -> Self { Self(si: lhs.si * rhs) }
    public static func * (lhs: Double, rhs: Self) -> Self { Self(si: lhs * rhs.si) }
    public static func / (lhs: Self, rhs: Double) -> Self { Self(si: lhs.si / rhs) }
    /// The dimensionless ratio of two quantities of the same kind.
    public static func / (lhs: Self, rhs: Self) -> Double { lhs.si / rhs.si }
    /// Zero in this quantity.
    public static var zero: Self { Self(si: 0) }
    public var description: String { "\(si) \(Self.unitSymbol)" }
    /// Whether the value is a finite number.
    public var isFinite: Bool { si.isFinite }
}
