#if Networking
import Foundation
import IonLink
import IonLinkAssembly
import IonLinkPhysics
import IonLinkRemote
import Logging

/// What `ionlink serve --part …` serves: the devices of its part of the lab (and the lab's runs for
/// `--part lab`), with a trap node's simulated lasers and trap reached on the hub through `--world`.
struct ServedNode: Sendable {
    let devices: DevicesService
    let runs: RunsService?
    /// The hub that holds the simulated world, for a trap node started with `--world`.
    let world: RemoteNode?
    let lab: Lab

    static func make(_ c: ServeCommand, assembled: AssembledLab, configText: String, logger: Logger) async throws -> ServedNode {
        let lab = assembled.lab
        let simulated = assembled.isSimulated, node = c.part.rawValue, seed: UInt64? = assembled.isSimulated ? c.seed : nil
        switch c.part {
        case .lab:
            let board = RunBoard(model: assembled.model)
            return ServedNode(devices: DevicesService(node: node, devices: ServedDevices(lab: lab), servesRuns: true, simulationSeed: seed,
                                                      logger: logger),
                              runs: RunsService(node: node, lab: assembled, seed: c.seed, board: board,
                                                records: c.noRecord ? nil : records(in: c.records, configText: configText, model: assembled.model,
                                                                                    logger: logger),
                                                logger: logger),
                              world: nil, lab: lab)
        case .hub:
            // Simulated: the hub holds the simulated ions too, for the trap nodes to reach through --world.
            let devices = ServedDevices(lab: lab, parts: simulated ? Set(LabPart.allCases) : [.hub])
            return ServedNode(devices: DevicesService(node: node, devices: devices, simulationSeed: seed, logger: logger), runs: nil,
                              world: nil, lab: lab)
        case .nodeA, .nodeB:
            let index = c.part == .nodeA ? 0 : 1
            var devices = ServedDevices(lab: lab, parts: [c.part == .nodeA ? .nodeA : .nodeB])
            var world: RemoteNode?
            if let address = c.world {
                let hub = try await RemoteNode.connect(ServeCommand.endpoint(address, tokenFile: c.worldTokenFile!, authority: c.worldCa),
                                                       logger: logger)
                try devices.reach(node: index, local: lab.nodes[index], on: hub)
                world = hub
            }
            return ServedNode(devices: DevicesService(node: node, devices: devices, simulationSeed: seed, logger: logger), runs: nil,
                              world: world, lab: lab)
        }
    }

    /// Each served run's record in `folder`, named by its start time, run number and seed.
    static func records(in folder: String, configText: String, model: LabModel, logger: Logger) -> ServedRunRecords {
        ServedRunRecords { number, request, identities in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let name = "run-\(RunRecording.utcStamp())-\(number)-seed\(request.seed).h5"
            let path = URL(fileURLWithPath: folder).appendingPathComponent(name).standardizedFileURL.path
            let recording = try RunRecording.create(path: path, configYAML: configText, request: request, model: model, devices: identities,
                                                    recordsTags: false, logger: logger)
            return (recording, path)
        }
    }

    /// Ends the node: its own instruments (simulated or bound) are left in their safe state.
    func close(logger: Logger) async {
        if let world {
            world.close()
            return
        }
        for step in await lab.bringToSafeState() {
            logger.notice("safe state", metadata: ["device": "\(step.device)", "action": "\(step.action)", "failure": "\(step.failure ?? "none")"])
        }
    }
}

extension ServedDevices {
    /// Serves trap node `index`'s lasers and trap from `hub` (which holds the simulated world), within
    /// the local lab YAML's limits, and takes the hub's lab clock.
    mutating func reach(node index: Int, local: LabNode, on hub: RemoteNode) throws {
        let prefix = ServedDevices.nodePrefix(index)
        lasers[prefix + ".cooling"] = try hub.laser(prefix + ".cooling", limit: local.cooling.powerLimit)
        lasers[prefix + ".excitation"] = try hub.laser(prefix + ".excitation", limit: local.excitation.powerLimit)
        traps[prefix + ".trap"] = try hub.trap(prefix + ".trap", electrodeLimit: local.trap.electrodeLimit,
                                               rfAmplitudeLimit: local.trap.rfAmplitudeLimit)
        clock = try hub.labClock()
    }
}
#endif
