import Yams

extension LabConfig {
    /// The lab YAML with the scalar at a dotted key path (for example `hub.window_length_ns` or
    /// `nodes.A.fiber_length_m`) replaced by `value`. Only an existing scalar key can be set, so a
    /// misspelt key is refused here rather than ignored; the result still goes through ``parse(yaml:speciesKeys:)``.
    public static func overriding(yaml: String, key: String, value: String) throws(ConfigError) -> String {
        let root = try ConfigSection.compose(yaml: yaml)
        let path = key.split(separator: ".").map(String.init)
        guard !path.isEmpty else { throw .unknownKey(path: key, line: 0) }
        func replaced(_ node: Node, _ rest: ArraySlice<String>) throws(ConfigError) -> Node {
            guard let first = rest.first else {
                guard case .scalar = node else {
                    throw .wrongType(path: key, expected: "a scalar key to set", found: "a section", line: node.mark.map { $0.line } ?? 0)
                }
                return Node(value)
            }
            guard case .mapping(var map) = node, let child = map[Node(first)] else {
                throw .unknownKey(path: key, line: node.mark.map { $0.line } ?? 0)
            }
            map[Node(first)] = try replaced(child, rest.dropFirst())
            return .mapping(map)
        }
        let updated = try replaced(root, path[...])
        do { return try Yams.serialize(node: updated) } catch { throw .syntax(message: "\(error)") }
    }
}
