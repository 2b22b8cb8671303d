import IonLink

/// The hub tagger's units: `hub.tagger` and, when one unit has too few inputs, `hub.tagger_2` sharing its
/// sync. A unit's `inputs` lists the lab channel on each of its inputs in order (`"0,1,4,-"`: inputs 1 and 2
/// take channels 0 and 1, input 3 the sync on channel 4, input 4 nothing).
enum TaggerUnits {
    /// The unit channel → lab channel map a binding's `inputs` gives, or nil without the key.
    static func map(_ b: DeviceBinding, inputs: ClosedRange<Int32>?) throws(ConfigError) -> [Int32: Int32]? {
        try b.taggerInputs(count: inputs.map { Int($0.upperBound - $0.lowerBound + 1) }, first: inputs?.lowerBound ?? 0)
    }

    /// The units fit the lab: a second unit needs the first and both their `inputs`; every unit has the
    /// sync; together they take every detector channel.
    static func validate(_ config: LabConfig, catalog: InstrumentCatalog) throws(ConfigError) {
        let first = config.devices.first { $0.role.part == .tagger }, second = config.devices.first { $0.role.part == .tagger2 }
        let units = [first, second].compactMap { $0 }
        guard units.contains(where: { $0.options["inputs"] != nil }) || second != nil else { return }
        guard let first else {
            throw .outOfRange(path: "devices.hub.tagger_2", value: second!.model, allowed: "a lab that binds hub.tagger, whose sync it shares",
                              line: second!.line)
        }
        let hub = config.hub
        var covered = Set<Int32>()
        for b in units {
            let model = catalog.model(b.model)
            guard model?.isRecording == false, let map = try map(b, inputs: model?.taggerInputs) else {
                throw .outOfRange(path: "devices.\(b.role)", value: b.model,
                                  allowed: "a live tagger with `inputs` (the lab channel on each input) when two units share the sync",
                                  line: b.line)
            }
            guard map.values.contains(hub.syncChannel) else {
                throw .outOfRange(path: b.path("inputs"), value: b.options["inputs"] ?? "",
                                  allowed: "an input on the sync channel \(hub.syncChannel): every unit counts the attempts",
                                  line: b.optionLines["inputs"] ?? b.line)
            }
            covered.formUnion(map.values)
        }
        let missing = Set(hub.channels).subtracting(covered)
        guard missing.isEmpty else {
            throw .outOfRange(path: "devices.hub.tagger", value: "inputs covering \(covered.sorted())",
                              allowed: "units that together take every detector channel (missing \(missing.sorted()))", line: first.line)
        }
    }
}
