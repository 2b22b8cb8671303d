/// Matches SCPI command headers the way instruments do: each node in its short form (the capitals
/// of the manual's mnemonic) or its long form, in any case; nodes in brackets are optional
/// (IEEE 488.2 / SCPI-99 §6.2).
public struct SCPIHeader: Sendable {
    struct Node: Sendable {
        var short: String
        var long: String
        var optional: Bool
    }
    let nodes: [Node]
    let query: Bool

    /// `pattern` as printed in a manual, e.g. `SOURce:POWer[:LEVel][:IMMediate][:AMPLitude]?`.
    public init(_ pattern: String) {
        var p = pattern
        query = p.hasSuffix("?")
        if query { p.removeLast() }
        var parsed: [Node] = []
        var rest = Substring(p)
        while !rest.isEmpty {
            var optional = false
            if rest.hasPrefix("[") {
                optional = true
                rest = rest.dropFirst()
            }
            if rest.hasPrefix(":") { rest = rest.dropFirst() }
            let end = rest.firstIndex(where: { $0 == ":" || $0 == "[" || $0 == "]" }) ?? rest.endIndex
            let word = String(rest[..<end])
            rest = rest[end...]
            if rest.hasPrefix("]") { rest = rest.dropFirst() }
            if word.isEmpty { continue }
            parsed.append(Node(short: word.filter { $0.isUppercase || $0.isNumber || $0 == "*" }.uppercased(),
                               long: word.uppercased(), optional: optional))
        }
        nodes = parsed
    }

    /// Whether `header` (the command up to its first space) names this command.
    public func matches(_ header: String) -> Bool {
        var h = header.uppercased()
        let isQuery = h.hasSuffix("?")
        if isQuery { h.removeLast() }
        guard isQuery == query else { return false }
        if h.hasPrefix(":") { h.removeFirst() }
        let words = h.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        return match(words[...], nodes[...])
    }

    private func match(_ words: ArraySlice<String>, _ pattern: ArraySlice<Node>) -> Bool {
        guard let node = pattern.first else { return words.isEmpty }
        if let w = words.first, w == node.short || w == node.long, match(words.dropFirst(), pattern.dropFirst()) {
            return true
        }
        return node.optional && match(words, pattern.dropFirst())
    }
}
