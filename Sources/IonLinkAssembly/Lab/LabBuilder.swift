import IonLink
import IonLinkPhysics
import IonLinkSimulation
import IonLinkTags
import Logging

/// The composition root of a lab: reads the lab YAML and serves every role by a backend — the
/// simulated lab (one world, one clock, one seed), or an instrument from the ``InstrumentCatalog``.
/// (Roles served by remote nodes are wired by `IonLinkRemote` on top of a built lab.)
///
/// Photons, ions and tags come from the simulation; an instrument bound to a role drives the
/// simulated world where the physics needs it (a bound laser's emission reaches the simulated ion).
public struct LabBuilder: Sendable {
    public var catalog: InstrumentCatalog
    public var logger: Logger

    /// Roles the `devices:` section may bind to instruments in a run today.
    public static let bindableParts: [Role.Part] = [.cooling, .excitation, .trapDC, .trapRF, .readout, .qubitDrive, .detectorBias, .tagger,
                                                    .tagger2, .pulses, .converterOven, .converterPump]

    public init(catalog: InstrumentCatalog = .standard, logger: Logger) {
        self.catalog = catalog
        self.logger = logger
    }

    /// Parses a lab YAML and checks its `devices:` section against the catalog.
    public func parse(yaml: String) throws(ConfigError) -> LabConfig {
        let config = try LabConfig.parse(yaml: yaml, speciesKeys: Species.presets.keys.sorted())
        try catalog.validate(config)
        return config
    }

    /// Builds the lab `config` describes: the simulated lab with `seed`, each bound role opened,
    /// identified and brought to the lab's setpoint.
    public func build(_ config: LabConfig, seed: UInt64) async throws -> AssembledLab {
        let simulation = try SimulatedLab(config: config, seed: seed, logger: logger)
        return try await bind(config, onto: simulation)
    }

    /// Serves the bound roles of `config` by their instruments on top of `simulation`.
    public func bind(_ config: LabConfig, onto simulation: SimulatedLab) async throws -> AssembledLab {
        try catalog.validate(config)
        var assembled = AssembledLab(simulation: simulation)
        var readouts: [Int: ReadoutParts] = [:]
        var taggerUnits: [SyncAlignedTagger.Unit] = []
        // The tagger last: a live one needs the pulse generator that makes its attempts (and a second unit
        // sharing its sync, bound before it).
        for b in config.devices.filter({ $0.role.part != .tagger }) + config.devices.filter({ $0.role.part == .tagger }) {
            do {
                try await bind(b, config: config, into: &assembled, readouts: &readouts, taggerUnits: &taggerUnits)
            } catch let e as BindingError {
                throw e
            } catch {
                throw BindingError(binding: b, message: "\(error)")
            }
            assembled.instruments[b.role] = b.model
        }
        // A node's readout when its counter and drive are both open, around whatever else serves its trap.
        for (node, parts) in readouts.sorted(by: { $0.key < $1.key }) {
            guard let counter = parts.counter, let drive = parts.drive, let readout = config.nodes[node].trap.thresholdReadout else { continue }
            assembled.lab.nodes[node].trap = TrapControllerWithReadout(base: assembled.lab.nodes[node].trap, counter: counter,
                                                                       channel: parts.channel, drive: drive, threshold: readout.threshold,
                                                                       phaseFor: AnalysisPulse.drivePhase(for:))
        }
        return assembled
    }

    /// Opens `b`'s instrument with the limits `config` gives its role (at its port, or over `link`).
    public func open(_ b: DeviceBinding, config: LabConfig, link: InstrumentLink = .port) async throws -> OpenedInstrument {
        guard let model = catalog.model(b.model) else { throw BindingError(binding: b, message: "no such instrument model") }
        let request = InstrumentRequest(binding: b, logger: logger, link: link)
        let node = config.nodes[b.role.nodeIndex ?? 0]
        switch model.connect {
        case let .laser(open) where b.role.part == .converterPump:
            guard let stage = node.conversion.first else { throw BindingError(binding: b, message: "the node converts nothing") }
            return .laser(try await open(request, stage.pumpLaser))
        case let .laser(open):
            return .laser(try await open(request, b.role.part == .cooling ? node.cooling : node.excitation))
        case let .electrodeSupply(open):
            return .electrodeSupply(try await open(request, node.trap))
        case let .rfSource(open) where b.role.part == .qubitDrive:
            guard let readout = node.trap.thresholdReadout else { throw BindingError(binding: b, message: "the trap has no threshold_readout") }
            return .rfSource(try await open(request, readout.drivePower), voltsPerRootMilliwatt: 0)
        case let .rfSource(open):
            let kappa = try request.double("volts_per_sqrt_mw", default: 20, in: 1e-6...1e6)
            // The lab's amplitude limit becomes the source's power limit, so neither layer can exceed it.
            let maxPower = TrapControllerWithRF.sourcePower(for: node.trap.maxRFAmplitude, voltsPerRootMilliwatt: kappa)
            return .rfSource(try await open(request, maxPower), voltsPerRootMilliwatt: kappa)
        case let .detectorBias(open):
            return .detectors(try await open(request, config.hub))
        case let .timeTagger(open):
            let use: TaggerUse = b.role.part == .readout ? .counter(gate: node.trap.readoutDuration) : .hub(config.hub)
            return .timeTagger(try await open(request, use))
        case let .pulseGenerator(open):
            return .pulseGenerator(try await open(request, config))
        case let .temperatureController(open):
            guard let oven = node.conversion.first?.oven else {
                throw BindingError(binding: b, message: "the node's first conversion stage has no oven")
            }
            return .temperatureController(try await open(request, oven))
        }
    }

    private func bind(_ b: DeviceBinding, config: LabConfig, into assembled: inout AssembledLab,
                      readouts: inout [Int: ReadoutParts], taggerUnits: inout [SyncAlignedTagger.Unit]) async throws {
        let wiring = RoleWiring(binding: b, config: config)
        let opened = try await open(b, config: config)
        if let node = b.role.nodeIndex, b.role.part == .readout || b.role.part == .qubitDrive {
            try await wiring.readout(opened, request: InstrumentRequest(binding: b, logger: logger), into: &readouts[node, default: ReadoutParts()])
            return
        }
        switch opened {
        case let .laser(laser): try await wiring.laser(laser, into: &assembled.lab)
        case let .electrodeSupply(supply):
            try wiring.electrodes(supply, request: InstrumentRequest(binding: b, logger: logger), into: &assembled.lab)
        case let .rfSource(source, kappa): try await wiring.rf(source, voltsPerRootMilliwatt: kappa, into: &assembled.lab)
        case let .detectors(detectors): try await wiring.detectors(detectors, into: &assembled.lab)
        case let .timeTagger(tagger):
            // A unit with `inputs` is mapped onto the lab's channels; units sharing the sync become one tagger.
            let map = try TaggerUnits.map(b, inputs: catalog.model(b.model)?.taggerInputs)
            if b.role.part == .tagger2 {
                taggerUnits.append(SyncAlignedTagger.Unit(tagger: tagger, channels: map ?? [:]))
                return
            }
            let hubTagger: any TimeTagger = map.map { first in
                SyncAlignedTagger(name: tagger.name, units: [SyncAlignedTagger.Unit(tagger: tagger, channels: first)] + taggerUnits,
                                  sync: config.hub.syncChannel)
            } ?? tagger
            try wiring.tagger(hubTagger, model: assembled.model, simulation: assembled.simulation, into: &assembled.lab)
        // The sequencer programs it with the lab's attempt sequence before the first burst.
        case let .pulseGenerator(generator): assembled.lab.pulses = generator
        case let .temperatureController(oven):
            try await wiring.converterOven(oven, request: InstrumentRequest(binding: b, logger: logger), into: &assembled.lab)
        }
    }
}

/// A lab built by ``LabBuilder`` (or connected to the nodes that serve it): the wired lab, what its
/// configuration predicts, the simulation behind its simulated roles, and which roles instruments serve.
public struct AssembledLab: Sendable {
    public var lab: Lab
    /// What the lab's configuration predicts, whatever serves its roles.
    public var model: LabModel
    /// The simulation serving the roles no instrument serves here (nil when other nodes serve them all).
    public var simulation: SimulatedLab?
    /// Role → the catalog model serving it (empty when all roles are simulated).
    public var instruments: [Role: String] = [:]

    public init(lab: Lab, model: LabModel, simulation: SimulatedLab? = nil, instruments: [Role: String] = [:]) {
        self.lab = lab
        self.model = model
        self.simulation = simulation
        self.instruments = instruments
    }

    /// The simulated lab, every role simulated.
    public init(simulation: SimulatedLab) {
        self.init(lab: simulation.lab, model: simulation.model, simulation: simulation)
    }

    /// Whether every role is simulated in this process.
    public var isSimulated: Bool { simulation != nil && instruments.isEmpty }
}
