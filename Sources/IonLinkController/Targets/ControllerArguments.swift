import IonLink

/// A call's arguments bound to a method's parameters, with typed, range-checked accessors: a number must be
/// finite, an integer must be an `int` (a `bool` is not one here), and a wrong type is a `TypeError` naming the
/// parameter.
public struct ControllerArguments: Sendable {
    public let method: String
    private let values: [String: PyonValue]

    /// Binds positional then keyword arguments, refusing what Python refuses: too many positional arguments,
    /// an unknown or repeated keyword, a missing parameter.
    public init(method: String, parameters: [String], args: [PyonValue], kwargs: [PyonValue.Entry]) throws(ControllerFailure) {
        self.method = method
        guard args.count <= parameters.count else {
            throw .arguments("\(method)() takes \(parameters.count) positional arguments but \(args.count) were given")
        }
        var bound = Dictionary(uniqueKeysWithValues: zip(parameters, args).map { ($0, $1) })
        for entry in kwargs {
            guard case let .string(key) = entry.key, parameters.contains(key) else {
                throw .arguments("\(method)() got an unexpected keyword argument \(entry.key.json())")
            }
            guard bound[key] == nil else { throw .arguments("\(method)() got multiple values for argument '\(key)'") }
            bound[key] = entry.value
        }
        if let missing = parameters.first(where: { bound[$0] == nil }) {
            throw .arguments("\(method)() missing required argument: '\(missing)'")
        }
        values = bound
    }

    private func value(_ name: String) -> PyonValue { values[name] ?? .none }

    private func wrongType(_ name: String, _ expected: String) -> ControllerFailure {
        .arguments("\(method)(): '\(name)' must be \(expected), not \(value(name).typeName)")
    }

    /// A finite number (an `int` or a `float`).
    public func double(_ name: String) throws(ControllerFailure) -> Double {
        let d: Double
        switch value(name) {
        case let .float(v): d = v
        case let .int(v): d = Double(v)
        default: throw wrongType(name, "a number")
        }
        guard d.isFinite else { throw .value("\(method)(): '\(name)' must be finite, got \(d)") }
        return d
    }

    /// An `int` within `range`.
    public func int(_ name: String, in range: ClosedRange<Int>) throws(ControllerFailure) -> Int {
        guard case let .int(v) = value(name) else { throw wrongType(name, "an int") }
        guard let i = Int(exactly: v), range.contains(i) else {
            throw .value("\(method)(): '\(name)' must lie in \(range.lowerBound)…\(range.upperBound), got \(v)")
        }
        return i
    }

    /// A duration given in seconds (a number within `range`), rounded to the picosecond.
    public func seconds(_ name: String, in range: ClosedRange<Double>) throws(ControllerFailure) -> Duration {
        let s = try double(name)
        guard range.contains(s) else { throw .value("\(method)(): '\(name)' must lie in \(range.lowerBound)…\(range.upperBound) s, got \(s)") }
        return .secondsDouble(s)
    }

    public func bool(_ name: String) throws(ControllerFailure) -> Bool {
        guard case let .bool(b) = value(name) else { throw wrongType(name, "a bool") }
        return b
    }

    public func string(_ name: String) throws(ControllerFailure) -> String {
        guard case let .string(s) = value(name) else { throw wrongType(name, "a str") }
        return s
    }

    /// A list or tuple.
    public func list(_ name: String) throws(ControllerFailure) -> [PyonValue] {
        switch value(name) {
        case let .list(e), let .tuple(e): return e
        default: throw wrongType(name, "a list")
        }
    }
}
