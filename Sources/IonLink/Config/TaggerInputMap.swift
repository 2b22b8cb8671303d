extension DeviceBinding {
    /// A tagger unit's `inputs`: the lab channel on each of its inputs in order (`"0,1,4,-"`: the first two
    /// inputs take channels 0 and 1, the third channel 4, the fourth nothing), as unit channel → lab
    /// channel, the unit's channels counted from `first`; nil without the key.
    public func taggerInputs(count: Int?, first: Int32) throws(ConfigError) -> [Int32: Int32]? {
        guard let text = options["inputs"] else { return nil }
        let line = optionLines["inputs"] ?? self.line
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if let count, items.count > count {
            throw .outOfRange(path: path("inputs"), value: text, allowed: "at most \(count) entries, one per input of \(model)", line: line)
        }
        var map: [Int32: Int32] = [:]
        for (k, item) in items.enumerated() where item != "-" {
            guard let channel = Int32(item), (0...255).contains(channel) else {
                throw .outOfRange(path: path("inputs"), value: item, allowed: "a lab channel 0…255 or - per input", line: line)
            }
            map[first + Int32(k)] = channel
        }
        return map
    }
}
