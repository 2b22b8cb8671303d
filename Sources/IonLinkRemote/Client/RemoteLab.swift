import Foundation
import IonLink
import IonLinkAssembly
import IonLinkPhysics
import Logging

/// The lab of a distributed run: node A's and node B's lasers and traps and the hub's detectors, tagger,
/// pulse generator, attempt loop and clock, each reached on the node that serves it.
public struct RemoteLab: Sendable {
    /// The hub, then node A and node B.
    public let nodes: [RemoteNode]
    /// The lab as assembled: every role a remote device, the model from the lab YAML.
    public let assembled: AssembledLab

    /// Connects to the three nodes of `config`. The lab YAML's model gives the pulse sequence, the slot
    /// layout and what the nodes must agree with (detector channels, attempt period, the hub's seed).
    public static func connect(_ config: DistributedConfig, model: LabModel, seed: UInt64, logger: Logger) async throws -> RemoteLab {
        let hub = try await RemoteNode.connect(config.endpoint(.hub), logger: logger)
        let clock = try hub.labClock()
        if hub.description.simulated && hub.description.seed != seed {
            throw DistributedRunError.seedMismatch(hub: hub.description.seed, run: seed)
        }
        var labNodes: [LabNode] = []
        var remotes = [hub]
        for (i, part) in [LabPart.nodeA, .nodeB].enumerated() {
            let remote = try await RemoteNode.connect(config.endpoint(part), sharing: clock, logger: logger)
            remotes.append(remote)
            let p = ServedDevices.nodePrefix(i)
            labNodes.append(LabNode(name: model.config.nodes[i].name, cooling: try remote.laser(p + ".cooling"),
                                    excitation: try remote.laser(p + ".excitation"), trap: try remote.trap(p + ".trap")))
        }
        // The detectors in the order of the single-process lab (by channel).
        let detectors = try hub.description.devices.filter { $0.kind == .detector }.sorted { $0.channel < $1.channel }
            .map { try hub.detector($0.role) }
        let channels = model.config.hub.detectorChannels
        guard detectors.map(\.channel) == channels else {
            throw DistributedRunError.labMismatch("the hub serves detectors on channels \(detectors.map(\.channel)); the lab YAML has \(channels)")
        }
        let loop = try hub.attemptLoop("hub.loop")
        guard loop.attemptPeriod == model.attemptPeriod else {
            throw DistributedRunError.labMismatch("the hub's attempt period is \(loop.attemptPeriod), the lab YAML's \(model.attemptPeriod)")
        }
        let lab = Lab(nodes: labNodes, detectors: detectors, tagger: try hub.tagger("hub.tagger"), pulses: try hub.pulses("hub.pulses"),
                      attemptLoop: loop, clock: clock, attemptSequence: model.attemptSequence, slotLayout: model.slotLayout)
        return RemoteLab(nodes: remotes, assembled: AssembledLab(lab: lab, model: model))
    }

    /// Closes the connections to the nodes.
    public func close() { for n in nodes { n.close() } }
}

/// Why a distributed run's nodes do not make up the lab its YAML describes.
public enum DistributedRunError: Error, CustomStringConvertible {
    case seedMismatch(hub: UInt64, run: UInt64)
    case labMismatch(String)
    public var description: String {
        switch self {
        case let .seedMismatch(h, r):
            "the hub simulates with seed \(h), this run asks for --seed \(r): start the hub with --seed \(r) or pass --seed \(h)"
        case let .labMismatch(m): "the nodes were not started with this lab YAML: \(m)"
        }
    }
}
