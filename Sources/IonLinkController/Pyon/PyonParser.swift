/// A JSON reader that keeps what PYON needs and a generic JSON decoder loses: `1` is an int and `1.0` a
/// float (as Python's `json` reads them, by whether a fraction or exponent is written), objects keep their
/// order, and `NaN`, `Infinity` and `-Infinity` (which Python's `json` writes) are numbers.
///
/// Nesting deeper than ``maximumDepth`` is refused instead of recursing without bound.
struct PyonParser {
    static let maximumDepth = 256

    private let bytes: [UInt8]
    private var at = 0

    init(_ text: some StringProtocol) { bytes = Array(text.utf8) }

    /// The one value the text holds.
    mutating func document() throws(PyonDecodingError) -> PyonValue {
        let v = try value(depth: 0)
        skipSpace()
        guard at == bytes.count else { throw fail("text after the value") }
        return v
    }

    private func fail(_ what: String) -> PyonDecodingError { PyonDecodingError(description: "not JSON: \(what) at byte \(at)") }

    private mutating func skipSpace() {
        while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
    }

    private mutating func literal(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard bytes.count - at >= w.count, Array(bytes[at..<at + w.count]) == w else { return false }
        at += w.count
        return true
    }

    private mutating func value(depth: Int) throws(PyonDecodingError) -> PyonValue {
        guard depth < Self.maximumDepth else { throw fail("nesting deeper than \(Self.maximumDepth)") }
        skipSpace()
        guard at < bytes.count else { throw fail("end of text where a value belongs") }
        switch bytes[at] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["):
            at += 1
            return .list(try sequence(closing: "]") { p throws(PyonDecodingError) in try p.value(depth: depth + 1) })
        case UInt8(ascii: "\""): return .string(try string())
        default:
            if literal("null") { return .none }
            if literal("true") { return .bool(true) }
            if literal("false") { return .bool(false) }
            if literal("NaN") { return .float(.nan) }
            if literal("Infinity") { return .float(.infinity) }
            if literal("-Infinity") { return .float(-.infinity) }
            return try number()
        }
    }

    /// Elements up to `closing`, separated by commas (the opening bracket already read).
    private mutating func sequence<T>(closing: Unicode.Scalar, _ element: (inout PyonParser) throws(PyonDecodingError) -> T)
        throws(PyonDecodingError) -> [T] {
        var out: [T] = []
        skipSpace()
        if at < bytes.count, bytes[at] == UInt8(ascii: closing) {
            at += 1
            return out
        }
        while true {
            out.append(try element(&self))
            skipSpace()
            guard at < bytes.count else { throw fail("unclosed \(closing == "]" ? "list" : "object")") }
            if bytes[at] == UInt8(ascii: closing) {
                at += 1
                return out
            }
            guard bytes[at] == UInt8(ascii: ",") else { throw fail("expected ',' or '\(closing)'") }
            at += 1
        }
    }

    private mutating func object(depth: Int) throws(PyonDecodingError) -> PyonValue {
        at += 1
        let entries = try sequence(closing: "}") { p throws(PyonDecodingError) -> PyonValue.Entry in
            p.skipSpace()
            guard p.at < p.bytes.count, p.bytes[p.at] == UInt8(ascii: "\"") else { throw p.fail("an object key must be a string") }
            let key = try p.string()
            p.skipSpace()
            guard p.at < p.bytes.count, p.bytes[p.at] == UInt8(ascii: ":") else { throw p.fail("expected ':'") }
            p.at += 1
            return PyonValue.Entry(.string(key), try p.value(depth: depth + 1))
        }
        return .dict(entries)
    }

    private mutating func number() throws(PyonDecodingError) -> PyonValue {
        let start = at
        var isFloat = false
        if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
        while at < bytes.count {
            let b = bytes[at]
            if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
                at += 1
            } else if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                isFloat = true
                at += 1
            } else {
                break
            }
        }
        let text = String(decoding: bytes[start..<at], as: UTF8.self)
        if !isFloat, let i = Int64(text) { return .int(i) }
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        if !isFloat, !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) {
            throw fail("integer \(text.prefix(30)) outside 64 bits")
        }
        guard isFloat, let d = Double(text), d.isFinite else { throw fail("not a number: '\(text.prefix(30))'") }
        return .float(d)
    }

    private mutating func string() throws(PyonDecodingError) -> String {
        at += 1
        var units: [UInt16] = []
        var raw: [UInt8] = []
        func flush() {
            units += String(decoding: raw, as: UTF8.self).utf16
            raw.removeAll(keepingCapacity: true)
        }
        while at < bytes.count {
            let b = bytes[at]
            at += 1
            switch b {
            case UInt8(ascii: "\""):
                flush()
                return String(decoding: units, as: UTF16.self)
            case UInt8(ascii: "\\"):
                flush()
                guard at < bytes.count else { break }
                let e = bytes[at]
                at += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): units.append(UInt16(e))
                case UInt8(ascii: "n"): units.append(0x0A)
                case UInt8(ascii: "r"): units.append(0x0D)
                case UInt8(ascii: "t"): units.append(0x09)
                case UInt8(ascii: "b"): units.append(0x08)
                case UInt8(ascii: "f"): units.append(0x0C)
                case UInt8(ascii: "u"):
                    guard bytes.count - at >= 4, let u = UInt16(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16) else {
                        throw fail("bad \\u escape")
                    }
                    units.append(u)
                    at += 4
                default: throw fail("bad escape")
                }
            case 0..<0x20: throw fail("control character in a string")
            default: raw.append(b)
            }
        }
        throw fail("unclosed string")
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
