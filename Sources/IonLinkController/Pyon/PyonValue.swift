/// A value as sipyco's PYON v2 carries it: JSON, with the Python types JSON lacks written as
/// `{"__jsonclass__": [name, arguments]}` (sipyco `pyon.py`: `tuple`, `set`, `dict` with keys that are
/// not strings, `bytes` in base64).
///
/// The pc_rpc protocol frames one PYON value per line; ``PyonValue/init(json:)`` and
/// ``PyonValue/json()`` read and write such a line.
public indirect enum PyonValue: Sendable, Hashable {
    case none
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case list([PyonValue])
    case tuple([PyonValue])
    case set([PyonValue])
    /// A dictionary in its written order (Python keeps insertion order).
    case dict([Entry])
    case bytes([UInt8])

    /// One key and value of a ``PyonValue/dict(_:)``.
    public struct Entry: Sendable, Hashable {
        public var key: PyonValue
        public var value: PyonValue
        public init(_ key: PyonValue, _ value: PyonValue) {
            self.key = key
            self.value = value
        }
    }

    /// A dictionary with string keys, in the given order.
    public static func object(_ pairs: KeyValuePairs<String, PyonValue>) -> PyonValue {
        .dict(pairs.map { Entry(.string($0.key), $0.value) })
    }

    /// The value under string key `key` of a dictionary (nil for a missing key or another type).
    public subscript(key: String) -> PyonValue? {
        guard case let .dict(entries) = self else { return nil }
        return entries.first { $0.key == .string(key) }?.value
    }

    /// The elements of a list, tuple or set (nil for anything else).
    public var elements: [PyonValue]? {
        switch self {
        case let .list(v), let .tuple(v), let .set(v): v
        default: nil
        }
    }

    /// The Python type name, for messages (`float`, `tuple`, `NoneType`).
    public var typeName: String {
        switch self {
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .list: "list"
        case .tuple: "tuple"
        case .set: "set"
        case .dict: "dict"
        case .bytes: "bytes"
        }
    }
}
