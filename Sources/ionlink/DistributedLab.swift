import Foundation
import IonLink
import IonLinkRemote
import Logging

/// The lab of a distributed run: node A's and node B's lasers and traps and the hub's detectors, tagger,
/// pulse generator, attempt loop and clock, each reached on the node that serves it.
struct DistributedLab {
    let nodes: [RemoteNode]
    let lab: Lab

    /// Connects to the three nodes. `template` is the same lab YAML's simulated lab: it gives the pulse
    /// sequence and the slot layout (values of the configuration, not devices).
    static func connect(_ config: DistributedConfig, template: Lab, seed: UInt64, logger: Logger) async throws -> DistributedLab {
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
            labNodes.append(LabNode(name: template.nodes[i].name, cooling: try remote.laser(p + ".cooling"),
                                    excitation: try remote.laser(p + ".excitation"), trap: try remote.trap(p + ".trap")))
        }
        // The detectors in the order of the single-process lab (by channel).
        let detectors = try hub.description.devices.filter { $0.kind == .detector }.sorted { $0.channel < $1.channel }
            .map { try hub.detector($0.role) }
        guard detectors.map(\.channel) == template.detectors.map(\.channel) else {
            throw DistributedRunError.labMismatch("the hub serves detectors on channels \(detectors.map(\.channel)); the lab YAML has "
                                                  + "\(template.detectors.map(\.channel))")
        }
        let loop = try hub.attemptLoop("hub.loop")
        guard loop.attemptPeriod == template.attemptLoop.attemptPeriod else {
            throw DistributedRunError.labMismatch(
                "the hub's attempt period is \(loop.attemptPeriod), the lab YAML's \(template.attemptLoop.attemptPeriod)")
        }
        let lab = Lab(nodes: labNodes, detectors: detectors, tagger: try hub.tagger("hub.tagger"), pulses: try hub.pulses("hub.pulses"),
                      attemptLoop: loop, clock: clock, attemptSequence: template.attemptSequence, slotLayout: template.slotLayout)
        return DistributedLab(nodes: remotes, lab: lab)
    }

    func close() { for n in nodes { n.close() } }
}

enum DistributedRunError: Error, CustomStringConvertible {
    case seedMismatch(hub: UInt64, run: UInt64)
    case labMismatch(String)
    var description: String {
        switch self {
        case let .seedMismatch(h, r):
            "the hub simulates with seed \(h), this run asks for --seed \(r): start the hub with --seed \(r) or pass --seed \(h)"
        case let .labMismatch(m): "the nodes were not started with this lab YAML: \(m)"
        }
    }
}
