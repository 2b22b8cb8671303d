import Foundation
import Yams

/// A YAML mapping being read key by key. It remembers which keys were read, so ``finish()`` can
/// reject any key nobody asked for, with its line.
package final class ConfigSection {
    package let path: String
    package let line: Int
    private var entries: [(key: String, value: Node, line: Int)] = []
    /// Each key's place in ``entries``: lookups are constant time, so a file of many keys reads in
    /// linear time.
    private var index: [String: Int] = [:]
    private var used: Set<String> = []

    /// The largest YAML document read (lab, fault plan, tokens, distributed lab): 256 KiB, forty times the
    /// largest lab in the repository (6.5 kB). Parsing is linear but not free (Yams checks every mapping for
    /// duplicate keys by hashing node trees): the largest document a cap allows is the longest a refusal
    /// can take, about 0.35 s here against 1 s at 1 MiB (docs/lab-yaml.md, "Size limits").
    package static let maxDocumentBytes = 256 << 10
    /// The longest string value (a name, a port, a path).
    package static let maxStringLength = 4096

    package init(node: Node, path: String) throws(ConfigError) {
        self.path = path
        line = node.mark?.line ?? 1
        guard case let .mapping(mapping) = node else {
            throw .wrongType(path: path.isEmpty ? "(top level)" : path, expected: "a mapping of keys",
                             found: node.string ?? "a list", line: line)
        }
        for (k, v) in mapping {
            let keyLine = k.mark?.line ?? line
            guard let key = k.string else {
                throw .wrongType(path: path, expected: "string keys", found: "\(k)", line: keyLine)
            }
            guard index[key] == nil else {
                throw .wrongType(path: full(key), expected: "a key given once", found: "a duplicate", line: keyLine)
            }
            index[key] = entries.count
            entries.append((key, v, keyLine))
        }
    }

    /// The top-level mapping of a YAML document.
    ///
    /// Scalars are left untyped (Yams's basic resolver): the section reads each as text and parses it as what
    /// the key expects, and the default resolver's regular expressions, run on every key of every mapping to
    /// check for duplicates, made 100 000 keys take seconds.
    package static func root(yaml: String) throws(ConfigError) -> ConfigSection {
        try ConfigSection(node: compose(yaml: yaml, resolver: .basic), path: "")
    }

    /// Whether the top-level mapping of `yaml` has `key` (false for a document that does not parse). The text is
    /// searched for the key first: composing a document is not free, and a document without it (a lab YAML asked
    /// whether it describes a distributed run) is composed again by its own reader.
    package static func rootHas(_ key: String, yaml: String) -> Bool {
        guard yaml.contains(key), let top = try? root(yaml: yaml) else { return false }
        return top.has(key)
    }

    /// A YAML document's node tree; a document past ``maxDocumentBytes`` is refused before it is parsed.
    package static func compose(yaml: String, resolver: Resolver = .default) throws(ConfigError) -> Node {
        let bytes = yaml.utf8.count
        guard bytes <= maxDocumentBytes else { throw .tooLarge(bytes: bytes, limit: maxDocumentBytes) }
        do {
            guard let n = try Yams.compose(yaml: yaml, resolver) else { throw ConfigError.syntax(message: "the document is empty") }
            return n
        } catch let e as ConfigError { throw e } catch { throw .syntax(message: "\(error)") }
    }

    package func full(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func value(_ key: String) throws(ConfigError) -> (Node, Int) {
        used.insert(key)
        guard let e = index[key].map({ entries[$0] }) else {
            // A key nobody read that is a slip of this one (`cnt:` for `count:`) is the real mistake: say so.
            if let slip = entries.first(where: { !used.contains($0.key) && Self.isSlip($0.key, of: key) }) {
                throw .misspeltKey(path: full(slip.key), meant: key, line: slip.line)
            }
            throw .missingKey(path: full(key), line: line)
        }
        return (e.value, e.line)
    }

    /// Whether `typed` looks like a slip of `key`: a different spelling within a small edit distance
    /// (Levenshtein, at most 1 for keys of up to 4 letters, else at most a third of the key, and 3).
    static func isSlip(_ typed: String, of key: String) -> Bool {
        guard typed != key else { return false }
        let a = Array(typed.lowercased()), b = Array(key.lowercased())
        let allowed = b.count <= 4 ? 1 : min(3, max(2, b.count / 3))
        guard abs(a.count - b.count) <= allowed else { return false }
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var next = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                next[j] = min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            row = next
        }
        return row[b.count] <= allowed
    }

    private func plainScalar(_ key: String, expected: String) throws(ConfigError) -> (String, Int, Node.Scalar.Style) {
        let (node, line) = try value(key)
        guard case let .scalar(scalar) = node else {
            throw .wrongType(path: full(key), expected: expected, found: "a mapping or list", line: line)
        }
        return (scalar.string, line, scalar.style)
    }

    /// A number, checked against `range`.
    package func double(_ key: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double {
        let (text, line, style) = try plainScalar(key, expected: "a number")
        guard style == .plain, let v = Double(text.replacingOccurrences(of: "_", with: "")), v.isFinite else {
            throw .wrongType(path: full(key), expected: "a number", found: text, line: line)
        }
        guard range.contains(v) else {
            throw .outOfRange(path: full(key), value: text, allowed: "\(range.lowerBound)...\(range.upperBound)", line: line)
        }
        return v
    }

    /// A whole number, checked against `range`.
    package func int(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        let (text, line, style) = try plainScalar(key, expected: "a whole number")
        guard style == .plain, let v = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw .wrongType(path: full(key), expected: "a whole number", found: text, line: line)
        }
        guard range.contains(v) else {
            throw .outOfRange(path: full(key), value: text, allowed: "\(range.lowerBound)...\(range.upperBound)", line: line)
        }
        return v
    }

    /// A string from a fixed vocabulary.
    package func choice(_ key: String, of allowed: [String]) throws(ConfigError) -> String {
        let (text, line, _) = try plainScalar(key, expected: "one of \(allowed.joined(separator: ", "))")
        guard allowed.contains(text) else {
            throw .outOfRange(path: full(key), value: text, allowed: allowed.joined(separator: " | "), line: line)
        }
        return text
    }

    /// Any string of at most ``maxStringLength`` characters.
    package func string(_ key: String) throws(ConfigError) -> String {
        let (text, line, _) = try plainScalar(key, expected: "a string")
        guard text.count <= Self.maxStringLength else {
            throw .outOfRange(path: full(key), value: "a string of \(text.count) characters", allowed: "at most \(Self.maxStringLength)",
                              line: line)
        }
        return text
    }

    /// A probability in 0...1.
    package func probability(_ key: String) throws(ConfigError) -> Probability {
        Probability(unchecked: try double(key, in: 0...1))
    }

    /// A nested mapping.
    package func section(_ key: String) throws(ConfigError) -> ConfigSection {
        let (node, _) = try value(key)
        return try ConfigSection(node: node, path: full(key))
    }

    /// A list of mappings, each read as a section named `key[i]`.
    package func list(_ key: String) throws(ConfigError) -> [ConfigSection] {
        let (node, line) = try value(key)
        guard case let .sequence(items) = node else {
            throw .wrongType(path: full(key), expected: "a list", found: node.string ?? "a mapping", line: line)
        }
        var out: [ConfigSection] = []
        for (i, item) in items.enumerated() { out.append(try ConfigSection(node: item, path: "\(full(key))[\(i)]")) }
        return out
    }

    /// Whether `key` is present.
    package func has(_ key: String) -> Bool { index[key] != nil }

    /// The keys present, in file order.
    var keys: [String] { entries.map(\.key) }

    /// The line of `key`, or of this section.
    package func lineOf(_ key: String) -> Int { index[key].map { entries[$0].line } ?? line }

    /// Rejects keys that were never read.
    package func finish() throws(ConfigError) {
        if let extra = entries.first(where: { !used.contains($0.key) }) {
            throw .unknownKey(path: full(extra.key), line: extra.line)
        }
    }
}
