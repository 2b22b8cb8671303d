import IonLink
import IonLinkPhysics
import IonLinkSimulation
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
    public static let bindableParts: [Role.Part] = [.cooling, .excitation, .trapDC, .trapRF, .detectorBias]

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
        var assembled = AssembledLab(lab: simulation.lab, simulation: simulation)
        for b in config.devices {
            do {
                try await bind(b, config: config, into: &assembled)
            } catch let e as BindingError {
                throw e
            } catch {
                throw BindingError(binding: b, message: "\(error)")
            }
            assembled.instruments[b.role] = b.model
        }
        return assembled
    }

    private func bind(_ b: DeviceBinding, config: LabConfig, into assembled: inout AssembledLab) async throws {
        guard let model = catalog.model(b.model) else { throw BindingError(binding: b, message: "no such instrument model") }
        let request = InstrumentRequest(binding: b, logger: logger)
        let wiring = RoleWiring(binding: b, config: config, simulation: assembled.simulation)
        switch model.connect {
        case let .laser(open):
            try await wiring.laser(open(request, wiring.laserConfig), into: &assembled.lab)
        case let .electrodeSupply(open):
            try await wiring.electrodes(open(request, wiring.nodeConfig.trap), request: request, into: &assembled.lab)
        case let .rfSource(open):
            let kappa = try request.double("volts_per_sqrt_mw", default: 20, in: 1e-6...1e6)
            // The lab's amplitude limit becomes the source's power limit, so neither layer can exceed it.
            let maxPower = TrapControllerWithRF.sourcePower(for: wiring.nodeConfig.trap.maxRFAmplitude, voltsPerRootMilliwatt: kappa)
            try await wiring.rf(open(request, maxPower), voltsPerRootMilliwatt: kappa, into: &assembled.lab)
        case let .detectorBias(open):
            try await wiring.detectors(open(request, config.hub), into: &assembled.lab)
        case .timeTagger:
            throw BindingError(binding: b, message: "a bound tagger cannot be used in a run yet")
        }
    }
}

/// A lab built by ``LabBuilder``: the wired lab, the simulation behind its unbound roles, and which
/// roles instruments serve.
public struct AssembledLab: Sendable {
    public var lab: Lab
    public var simulation: SimulatedLab
    /// Role → the catalog model serving it (empty when all roles are simulated).
    public var instruments: [Role: String] = [:]

    public init(lab: Lab, simulation: SimulatedLab, instruments: [Role: String] = [:]) {
        self.lab = lab
        self.simulation = simulation
        self.instruments = instruments
    }

    /// Whether every role is simulated.
    public var isSimulated: Bool { instruments.isEmpty }

    /// What the lab's configuration predicts, whatever serves its roles.
    public var model: LabModel { simulation.model }
}
