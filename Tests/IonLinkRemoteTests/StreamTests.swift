import Foundation
import GRPCCore
import IonLink
import IonLinkAssembly
import IonLinkSequencer
import Synchronization
import Testing
@testable import IonLinkRemote

/// Streams and clients that go away: a run outlives the call that started it, a tag stream releases
/// the tagger, and a node restarted mid-run costs retries, not the run.
@Suite(.serialized) struct StreamTests {
    @Test func runOutlivesTheClientThatStartedIt() async throws {
        let lab = try Remote.simulatedLab(seed: 5)
        let server = try await Remote.serve(lab, runs: true)
        // Start a paced run, read two updates and go away (the call is cancelled mid-stream).
        let seen = try await Remote.withClient(server, token: Remote.controlToken) { _, runs, metadata in
            try await runs.startRun(.with { $0.stop.heralds = 150; $0.pace = 1; $0.heralds = true }, metadata: metadata) { response in
                var n = 0, last = Ionlink_V1_RunUpdate()
                for try await u in response.messages {
                    n += 1
                    last = u
                    if n == 2 { break }
                }
                return last
            }
        }
        #expect(seen.phase == .running)
        #expect(seen.totals.heralds < 150)
        // Another client (an observer) follows the same run to its end.
        let final = try await Remote.withClient(server, token: Remote.observeToken) { _, runs, metadata in
            try await runs.watchRun(.with { $0.heralds = true }, metadata: metadata) { response in
                var last = Ionlink_V1_RunUpdate(), heralds = 0
                for try await u in response.messages {
                    last = u
                    if u.hasHerald { heralds += 1 }
                }
                return (last, heralds)
            }
        }
        #expect(final.0.phase == .finished)
        #expect(final.0.run == seen.run)
        // The run went on after its starter left (it had fewer heralds then) to its stop condition. How many
        // heralds the watcher saw go by depends on when it attached (none, if the run ended first under load).
        #expect(final.0.totals.heralds == 150)
        #expect(final.1 <= 150 - Int(seen.totals.heralds))
        #expect(final.0.modelFidelity > 0.9)
        // Its summary is the one `ionlink run --json` prints, agreeing with the totals.
        let summary = try RunSummary(json: final.0.summaryJson)
        #expect(summary.heralds == 150 && summary.attempts == final.0.totals.attempts && summary.seed == 1)
        // The node is not wedged: status answers, a second run starts and a stop ends it in the safe state.
        try await Remote.withClient(server, token: Remote.controlToken) { devices, runs, metadata in
            let status = try await runs.status(.init(), metadata: metadata)
            #expect(status.run.phase == .finished)
            #expect(status.devices.count == 10)   // four lasers, two traps, four detectors
            let first = try await runs.startRun(.with { $0.stop.labTimePs = 3_600_000_000_000_000; $0.pace = 1 }, metadata: metadata) { r in
                for try await u in r.messages { return u }
                return Ionlink_V1_RunUpdate()
            }
            #expect(first.run == seen.run + 1)
            let stopped = try await runs.stopRun(.init(), metadata: metadata)
            #expect(stopped.phase == .finished)
            #expect(stopped.totals.interrupted)
            #expect(try RunSummary(json: stopped.summaryJson).interrupted)
            let laser = try await devices.laser(.with { $0.role = "nodeA.excitation"; $0.status = .init() }, metadata: metadata)
            #expect(!laser.emitting)
        }
        await server.stop()
    }

    @Test func secondRunIsRefusedWhileOneIsGoing() async throws {
        let lab = try Remote.simulatedLab(seed: 6)
        let server = try await Remote.serve(lab, runs: true)
        try await Remote.withClient(server, token: Remote.controlToken) { _, runs, metadata in
            _ = try await runs.startRun(.with { $0.stop.labTimePs = 3_600_000_000_000_000; $0.pace = 1 }, metadata: metadata) { r in
                for try await u in r.messages { return u }
                return Ionlink_V1_RunUpdate()
            }
            do {
                _ = try await runs.startRun(.with { $0.stop.heralds = 1 }, metadata: metadata) { r in
                    for try await _ in r.messages {}
                }
                Issue.record("a second run started beside the first")
            } catch let e as RPCError {
                #expect(e.code == .failedPrecondition)
            }
            do {
                _ = try await runs.startRun(.init(), metadata: metadata) { r in for try await _ in r.messages {} }
                Issue.record("a run without a stop condition started")
            } catch let e as RPCError {
                #expect(e.code == .invalidArgument)
            }
            _ = try await runs.stopRun(.init(), metadata: metadata)
        }
        await server.stop()
    }

    @Test func tagStreamReleasesTheTaggerWhenItsClientGoesAway() async throws {
        let lab = try Remote.simulatedLab(seed: 7)
        let server = try await Remote.serve(lab)
        let node = try await RemoteNode.connect(Remote.endpoint(server), logger: Remote.logger)
        let loop = try node.attemptLoop("hub.loop")
        try await node.pulses("hub.pulses").program(lab.lab.attemptSequence)
        for laser in [lab.lab.nodes[0].excitation, lab.lab.nodes[1].excitation] { try await laser.setEmission(true) }
        // A burster keeps the tagger busy while clients come and go.
        let bursting = Task {
            while !Task.isCancelled { _ = try? await loop.runBurst(maxAttempts: 2_000) }
        }
        for round in 0..<3 {
            // Each round's client reads one batch and leaves; the next gets the tagger once the node has seen
            // the first go (its stream is cancelled), not "already streaming" for ever.
            var got = 0
            let deadline = ContinuousClock.now + .seconds(10)
            while got == 0 && ContinuousClock.now < deadline {
                do {
                    got = try await Remote.withClient(server, token: Remote.observeToken) { devices, _, metadata in
                        try await devices.streamTags(.with { $0.role = "hub.tagger" }, metadata: metadata) { response in
                            for try await batch in response.messages where !batch.tags.isEmpty { return batch.tags.count }
                            return 0
                        }
                    }
                } catch let e as RPCError where e.code == .failedPrecondition {
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            #expect(got > 0, "round \(round)")
        }
        bursting.cancel()
        _ = await bursting.value
        // With no tags coming any more, the last stream's client leaving must still free the tagger.
        let last = Task {
            try await Remote.withClient(server, token: Remote.observeToken) { devices, _, metadata in
                try await devices.streamTags(.with { $0.role = "hub.tagger" }, metadata: metadata) { response in
                    for try await _ in response.messages {}
                }
            }
        }
        #expect(await Remote.eventually { lab.tagger.isStreaming })
        last.cancel()
        _ = await last.result
        #expect(await Remote.eventually { !lab.tagger.isStreaming })
        node.close()
        await server.stop()
    }

    @Test func nodeRestartedMidRunCostsRetriesNotTheRun() async throws {
        // The distributed layout in one process: the hub holds the simulated ions; node A and node B
        // serve their lasers and trap through it; the coordinator drives all three.
        let world = try Remote.simulatedLab(seed: 9)
        let hub = try await Remote.serve(world)
        let worldNode = try await RemoteNode.connect(Remote.endpoint(hub), logger: Remote.logger)
        func nodeDevices(_ i: Int) throws -> ServedDevices {
            var d = ServedDevices()
            let p = ServedDevices.nodePrefix(i)
            d.lasers[p + ".cooling"] = try worldNode.laser(p + ".cooling")
            d.lasers[p + ".excitation"] = try worldNode.laser(p + ".excitation")
            d.traps[p + ".trap"] = try worldNode.trap(p + ".trap")
            d.clock = worldNode.clock
            return d
        }
        let a = try await Remote.serve(world, devices: try nodeDevices(0))
        let b = try await Remote.serve(world, devices: try nodeDevices(1))
        let portA = a.port
        let hubRemote = try await RemoteNode.connect(Remote.endpoint(hub), logger: Remote.logger)
        let clock = try hubRemote.labClock()
        let remoteA = try await RemoteNode.connect(Remote.endpoint(a), sharing: clock, callTimeout: .seconds(2), logger: Remote.logger)
        let remoteB = try await RemoteNode.connect(Remote.endpoint(b), sharing: clock, logger: Remote.logger)
        var nodes: [LabNode] = []
        for (i, r) in [remoteA, remoteB].enumerated() {
            let p = ServedDevices.nodePrefix(i)
            nodes.append(LabNode(name: world.lab.nodes[i].name, cooling: try r.laser(p + ".cooling"), excitation: try r.laser(p + ".excitation"),
                                 trap: try r.trap(p + ".trap")))
        }
        let detectors = try world.lab.detectors.map { try hubRemote.detector("hub.detector\($0.channel)") }
        let lab = Lab(nodes: nodes, detectors: detectors, tagger: try hubRemote.tagger("hub.tagger"), pulses: try hubRemote.pulses("hub.pulses"),
                      attemptLoop: try hubRemote.attemptLoop("hub.loop"), clock: clock, attemptSequence: world.lab.attemptSequence,
                      slotLayout: world.lab.slotLayout)
        let sequencer = HeraldingSequencer(lab: lab, settings: SequencerSettings(timing: world.config.timing), logger: Remote.logger)
        let progress = Atomic<Int>(0)
        let run = Task {
            try await sequencer.run(until: StopCondition(heralds: 120), progress: nil,
                                    onHerald: { _, r in progress.store(r.heralds, ordering: .relaxed) },
                                    pacing: Pacing(labPerWall: 20))
        }
        #expect(await Remote.eventually { progress.load(ordering: .relaxed) >= 20 })
        // Node A goes away (its process restarted) and comes back on the same port 0.5 s later.
        await a.stop()
        try await Task.sleep(for: .milliseconds(500))
        let restarted = try await Remote.serve(world, port: portA, devices: try nodeDevices(0))
        let result = try await run.value
        #expect(result.failure == nil)
        #expect(result.heralds == 120)
        #expect((result.faults[.disconnected]?.count ?? 0) + (result.faults[.timeout]?.count ?? 0) >= 1)
        #expect(result.time.recovering > .zero)
        for n in [worldNode, hubRemote, remoteA, remoteB] { n.close() }
        for s in [restarted, b, hub] { await s.stop() }
    }
}
