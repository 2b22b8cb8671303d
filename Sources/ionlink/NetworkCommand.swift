import ArgumentParser
import Foundation
import IonLink
import IonLinkNetwork
import IonLinkPhysics

/// `ionlink network`: many traps behind an optical switch, their elementary links heralded by a few
/// hubs with the lab YAML's link, joined into longer pairs by entanglement swapping.
struct NetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Simulate N traps behind an optical switch with K detection hubs: per-pair rates and fidelities.",
        discussion: "Each elementary link is the lab YAML's link (attempt period with its share of cooling, success "
            + "probability and heralded fidelity of the exact model). Every trap belongs to one chain of --hops links; "
            + "inner traps swap; a delivered chain starts again.")

    @Option(help: "Lab YAML whose link every elementary link copies (default: the built-in lab).")
    var config: String?

    @Option(help: "Number of traps.")
    var nodes = 64

    @Option(help: "Number of detection hubs.")
    var hubs = 8

    @Option(help: "Elementary links per end-to-end pair (2: one swap in the middle trap).")
    var hops = 2

    @Option(help: "Lab time to simulate, e.g. 60s.")
    var duration: LabDuration = LabDuration(.seconds(60))

    @Option(help: "Coherence time of a stored pair (Werner parameter decays as exp(−t/τ)), e.g. 1s.")
    var memoryCoherence: LabDuration = LabDuration(.seconds(1))

    @Option(help: "Optical switch reconfiguration time, e.g. 1ms.")
    var switchTime: LabDuration = LabDuration(.milliseconds(1))

    @Option(help: "Fidelity of an entanglement swap (gate and Bell-state measurement).")
    var swapFidelity = 0.99

    @Option(help: "Time an entanglement swap takes in a trap, e.g. 100us.")
    var swapDuration: LabDuration = LabDuration(.microseconds(100))

    @Option(help: ArgumentHelp("Each node's fiber to the hub, metres, for the hops of every chain in turn (e.g. 10000,50: a link between "
                               + "buildings, then one inside a building); each link is the lab's at that length (attenuation, conversion, "
                               + "the herald's round trip). Default: the lab's own lengths."))
    var linkLengths: String?

    @Option(help: "Override the lab's elementary link: lab time of one attempt, e.g. 1.3us (to match another simulator's link).")
    var attemptPeriod: LabDuration?

    @Option(help: "Override the lab's elementary link: success probability of one attempt.")
    var successProbability: Double?

    @Option(help: "Override the lab's elementary link: fidelity of a heralded pair.")
    var heraldedFidelity: Double?

    @Option(help: "How a free hub picks the next link: fifo, or partner-first (links of chains holding a stored pair first).")
    var scheduling: LinkScheduling = .firstComeFirstServed

    @Option(help: "Discard a stored pair older than this and entangle its links again (memory cut-off), e.g. 5ms.")
    var cutoff: LabDuration?

    @Option(help: "Seed of the network's random stream (and of the chain assignment).")
    var seed: UInt64 = 1

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        guard nodes >= 2, hubs >= 1, hops >= 1, hops < nodes else { throw ValidationError("need --nodes ≥ --hops + 1 ≥ 2 and --hubs ≥ 1") }
        guard nodes <= 100_000, hubs <= 100_000 else { throw ValidationError("--nodes and --hubs are at most 100000") }
        guard swapFidelity > 0.25 && swapFidelity <= 1 else { throw ValidationError("--swap-fidelity must lie in (0.25, 1]") }
        if let p = successProbability, !(p > 0 && p <= 1) { throw ValidationError("--success-probability must lie in (0, 1]") }
        if let f = heraldedFidelity, !(f > 0.25 && f <= 1) { throw ValidationError("--heralded-fidelity must lie in (0.25, 1]") }
        if let t = attemptPeriod, t.duration <= .zero { throw ValidationError("--attempt-period must be positive") }
        if linkLengths != nil && (attemptPeriod != nil || successProbability != nil || heraldedFidelity != nil) {
            throw ValidationError("--link-lengths builds each link from the lab; it cannot be combined with the link overrides")
        }
        _ = try lengths()
    }

    /// The `--link-lengths` values: 1 to 64 numbers of metres, each 0…1 000 000 (the lab YAML's fiber range).
    func lengths() throws -> [Double]? {
        guard let linkLengths else { return nil }
        let values = linkLengths.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...64).contains(values.count), values.allSatisfy({ $0.map { $0.isFinite && (0...1_000_000).contains($0) } ?? false }) else {
            throw ValidationError("--link-lengths must be 1 to 64 comma-separated lengths in metres, each 0…1000000, got \(linkLengths)")
        }
        return values.compactMap { $0 }
    }

    /// The lab's link with both nodes `meters` of fiber from the hub: one attempt with its share of cooling, P and F.
    static func link(_ config: LabConfig, meters: Double? = nil) throws -> ElementaryLink {
        var config = config
        if let meters { for i in config.nodes.indices { config.nodes[i].fiberLength = .meters(meters) } }
        let lab = try LabModel(config: config)
        let t = config.timing
        return ElementaryLink(attemptPeriod: lab.attemptPeriod + t.cool / max(1, t.effectiveAttemptsPerCool),
                              successProbability: lab.budget.model.heraldProbability, heraldedFidelity: lab.budget.model.meanFidelity,
                              fiberLengthMeters: meters ?? config.nodes[0].fiberLength.meters)
    }

    func run() async throws {
        let base: ElementaryLink, hopLinks: [ElementaryLink]
        do {
            let lab = try loadLabConfig(path: config)
            // One attempt plus its share of the cooling before each burst.
            base = try Self.link(lab)
            hopLinks = try (lengths() ?? []).map { try Self.link(lab, meters: $0) }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        var params = NetworkParameters(nodes: nodes, hubs: hubs, attemptPeriod: attemptPeriod?.duration ?? base.attemptPeriod,
                                       successProbability: successProbability ?? base.successProbability,
                                       heraldedFidelity: heraldedFidelity ?? base.heraldedFidelity, memoryCoherence: memoryCoherence.duration,
                                       switchTime: switchTime.duration, swapFidelity: swapFidelity,
                                       swapDuration: swapDuration.duration)
        params.hopLinks = hopLinks
        let requests = NetworkRequest.randomChains(nodes: nodes, hops: hops, seed: seed)
        let clock = ContinuousClock(), start = clock.now
        let result = NetworkSimulator(parameters: params, requests: requests, scheduling: scheduling, cutoff: cutoff?.duration).run(
            labTime: duration.duration, seed: seed)
        let wall = (clock.now - start).inSeconds
        let summary = NetworkSummary(parameters: params, result: result, wallSeconds: wall)
        print(json ? try summary.json() : summary.text())
    }
}

extension LinkScheduling: ExpressibleByArgument {}
