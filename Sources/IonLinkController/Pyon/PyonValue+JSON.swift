import Foundation

/// Why a line is not a PYON v2 value.
public struct PyonDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
}

extension PyonValue {
    /// Reads one PYON v2 value from its JSON text (sipyco `pyon.decode`): `NaN` and `Infinity` are accepted,
    /// as Python's `json` writes them; an unknown `__jsonclass__` is refused, as sipyco refuses it.
    public init(json text: some StringProtocol) throws(PyonDecodingError) {
        var parser = PyonParser(text)
        self = try parser.document().resolvingJSONClasses()
    }

    /// The value with each `{"__jsonclass__": [name, arguments]}` object turned into the type it stands for.
    private func resolvingJSONClasses() throws(PyonDecodingError) -> PyonValue {
        switch self {
        case let .list(v): return .list(try v.map { e throws(PyonDecodingError) in try e.resolvingJSONClasses() })
        case let .dict(entries):
            if entries.count == 1, entries[0].key == .string("__jsonclass__") { return try Self.jsonClass(entries[0].value) }
            return .dict(try entries.map { e throws(PyonDecodingError) in .init(e.key, try e.value.resolvingJSONClasses()) })
        default: return self
        }
    }

    /// `["tuple", [[…]]]`, `["set", [[…]]]`, `["dict", [[[k, v], …]]]`, `["bytes", ["base64"]]` (sipyco `pyon.py`).
    private static func jsonClass(_ jc: PyonValue) throws(PyonDecodingError) -> PyonValue {
        guard case let .list(parts) = jc, parts.count == 2, case let .string(name) = parts[0], case let .list(args) = parts[1], args.count == 1 else {
            throw PyonDecodingError(description: "__jsonclass__ is not [name, [argument]]")
        }
        switch (name, try args[0].resolvingJSONClasses()) {
        case let ("tuple", .list(v)): return .tuple(v)
        case let ("set", .list(v)): return .set(v)
        case let ("dict", .list(pairs)):
            return .dict(try pairs.map { p throws(PyonDecodingError) in
                guard case let .list(kv) = p, kv.count == 2 else { throw PyonDecodingError(description: "a dict entry is not [key, value]") }
                return .init(kv[0], kv[1])
            })
        case let ("bytes", .string(b64)):
            guard let data = Data(base64Encoded: b64) else { throw PyonDecodingError(description: "bytes are not base64") }
            return .bytes(Array(data))
        default: throw PyonDecodingError(description: "Object of type `\(name)` is not PYON decodable here")
        }
    }

    /// The value as one line of JSON, ASCII only (sipyco `pyon.encode`): tuples, sets, bytes and
    /// dictionaries whose keys are not all strings as `__jsonclass__` objects; non-finite floats as
    /// `NaN`, `Infinity` and `-Infinity`, which Python's `json` reads.
    public func json() -> String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .none: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .float(d): out += Self.number(d)
        case let .string(s): Self.quote(s, into: &out)
        case let .list(v): Self.array(v, into: &out)
        case let .tuple(v): Self.jsonClass("tuple", [.list(v)], into: &out)
        case let .set(v): Self.jsonClass("set", [.list(v)], into: &out)
        case let .bytes(b): Self.jsonClass("bytes", [.string(Data(b).base64EncodedString())], into: &out)
        case let .dict(entries):
            guard entries.allSatisfy({ if case .string = $0.key { true } else { false } }) else {
                Self.jsonClass("dict", [.list(entries.map { .list([$0.key, $0.value]) })], into: &out)
                return
            }
            out += "{"
            for (i, e) in entries.enumerated() {
                if i > 0 { out += "," }
                e.key.write(to: &out)
                out += ":"
                e.value.write(to: &out)
            }
            out += "}"
        }
    }

    private static func array(_ values: [PyonValue], into out: inout String) {
        out += "["
        for (i, v) in values.enumerated() {
            if i > 0 { out += "," }
            v.write(to: &out)
        }
        out += "]"
    }

    private static func jsonClass(_ name: String, _ arguments: [PyonValue], into out: inout String) {
        out += "{\"__jsonclass__\":[\"\(name)\","
        array(arguments, into: &out)
        out += "]}"
    }

    /// Python's `repr` of a float where it differs from Swift's (`1e+16` is `1e+16` in both; `inf` is not JSON).
    private static func number(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
        return "\(d)"
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.utf16 {
            switch u {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(u)))
            default: out += "\\u" + String(repeating: "0", count: 4 - String(u, radix: 16).count) + String(u, radix: 16)
            }
        }
        out += "\""
    }
}
