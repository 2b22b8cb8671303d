import IonLink
import IonLinkDrivers

/// The instrument models IonLink knows, each registered once (``InstrumentModel``): the lab YAML's
/// `devices:` section, `ionlink devices`, `ionlink emulate` and the lab builder all read it.
public struct InstrumentCatalog: Sendable {
    public var models: [InstrumentModel]

    public init(models: [InstrumentModel]) {
        self.models = models
    }

    /// The model named `name` (case-insensitive), or nil.
    public func model(_ name: String) -> InstrumentModel? {
        models.first { $0.name == name.lowercased() }
    }

    /// The names of the models that can serve a role of `kind`.
    public func names(serving kind: DeviceKind) -> [String] { models.filter { $0.kind == kind }.map(\.name) }

    /// The binding keys a role takes whatever the model (the lab builder reads them).
    public static func roleOptions(_ part: Role.Part) -> [String] {
        switch part {
        case .trapDC: ["first_channel"]
        case .trapRF: ["volts_per_sqrt_mw"]
        case .readout: ["channel"]
        case .tagger, .tagger2: ["inputs"]
        case .converterOven: ["settle_timeout_s"]
        default: []
        }
    }

    /// Checks every binding of `config` against the catalog: a known model of the kind its role needs,
    /// and only keys the role or model takes. Each error names the key and its line.
    public func validate(_ config: LabConfig) throws(ConfigError) {
        for b in config.devices {
            guard LabBuilder.bindableParts.contains(b.role.part) else {
                throw .outOfRange(path: "devices.\(b.role)", value: "\(b.role)",
                                  allowed: "a role a run can bind: " + LabBuilder.bindableParts.map(\.rawValue).joined(separator: ", "),
                                  line: b.line)
            }
            let allowed = names(serving: b.role.part.kind)
            guard let model = model(b.model), model.kind == b.role.part.kind else {
                throw .outOfRange(path: b.path("model"), value: b.model,
                                  allowed: allowed.isEmpty ? "no instrument model for \(b.role.part.kind.rawValue)s yet"
                                                           : allowed.joined(separator: " | "),
                                  line: b.line)
            }
            if b.role.part == .converterPump, let node = b.role.nodeIndex, config.nodes[node].conversion.isEmpty {
                throw .outOfRange(path: "devices.\(b.role)", value: b.model,
                                  allowed: "a node that converts its photons (nodes.\(b.role.nodeName).conversion)", line: b.line)
            }
            if b.role.part == .converterOven, let node = b.role.nodeIndex, config.nodes[node].conversion.first?.oven == nil {
                throw .outOfRange(path: "devices.\(b.role)", value: b.model,
                                  allowed: "a node whose first conversion stage has an oven (nodes.\(b.role.nodeName).conversion.stages[0].oven)",
                                  line: b.line)
            }
            let paired = config.devices.contains { $0.role.part == .tagger2 } || b.options["inputs"] != nil
            if let inputs = model.taggerInputs, b.role.part == .tagger, !paired {
                let used = Set(config.hub.channels + [config.hub.syncChannel])
                guard used.allSatisfy(inputs.contains) else {
                    let channels = config.hub.channels.map(String.init).joined(separator: ", ")
                    let value = "\(b.model), whose inputs are channels \(inputs.lowerBound)…\(inputs.upperBound)"
                    throw .outOfRange(path: "devices.\(b.role)", value: value,
                                      allowed: "a tagger that takes the lab's channels (hub.channels \(channels), sync_channel "
                                               + "\(config.hub.syncChannel))",
                                      line: b.line)
                }
            }
            let keys = Set(model.options + Self.roleOptions(b.role.part))
            for key in b.options.keys.sorted() where !keys.contains(key) {
                throw .unknownKey(path: b.path(key), line: b.optionLines[key] ?? b.line)
            }
        }
        try TaggerUnits.validate(config, catalog: self)
        try validateFastLoop(config)
        try validateReadout(config)
    }

    /// The fast loop's roles fit together: a live tagger sees attempts only when a bound pulse generator
    /// makes them, and its heralds are usable only when a herald stop ends the burst at them; a herald
    /// stop in a lab of instruments needs the generator whose input it drives. (In a lab with nothing
    /// bound, the simulated attempt loop stops at its heralds itself: the herald stop is simulated with
    /// it.) Found here, before any port is opened.
    func validateFastLoop(_ config: LabConfig) throws(ConfigError) {
        let pulses = config.devices.first { $0.role.part == .pulses }
        let stop = config.hub.heraldStop
        if let stop, pulses == nil, !config.devices.isEmpty {
            throw .outOfRange(path: "hub.herald_stop", value: "a herald stop without a pulse generator",
                              allowed: "a lab of instruments that binds hub.pulses (the generator whose "
                                       + "\(stop.input.rawValue) input the unit drives)",
                              line: stop.line)
        }
        guard let tagger = config.devices.first(where: { $0.role.part == .tagger }), model(tagger.model)?.isRecording == false else { return }
        guard pulses != nil else {
            throw .outOfRange(path: "devices.hub.tagger", value: tagger.model,
                              allowed: "a lab whose devices: binds hub.pulses: a live tagger sees attempts only when a bound pulse "
                                       + "generator makes them (dg645, qc9520); or bind `playback` to rerun recorded tags",
                              line: tagger.line)
        }
        guard stop != nil else {
            throw .outOfRange(path: "devices.hub.tagger", value: tagger.model,
                              allowed: "a lab with hub.herald_stop: a live tagger's heralds are usable only when a coincidence unit "
                                       + "ends each burst at its herald in hardware (add hub.herald_stop: { input: inhibit, "
                                       + "stops_on: \"psi-, psi+\" })",
                              line: tagger.line)
        }
    }

    /// Identification probes of every serial model, in catalog order, then any SCPI instrument.
    /// A model whose probe goes first (``InstrumentModel/probesFirst``) is asked before the others.
    public var probes: [IdentificationProbe] {
        models.filter(\.probesFirst).compactMap(\.probe) + models.filter { !$0.probesFirst }.compactMap(\.probe) + [.anySCPI]
    }

    /// What answers on the serial port at `path`: a model's identity, or nil if none answered in time.
    public func identify(path: String, timeout: Duration = .milliseconds(200)) async -> String? {
        await InstrumentProbe.identify(path: path, probes: probes, timeout: timeout)
    }
}
