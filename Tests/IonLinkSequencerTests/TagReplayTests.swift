import Foundation
import Logging
import Testing
import IonLink
import IonLinkPhysics
import IonLinkSequencer
import IonLinkSimulation
import IonLinkTags

/// A run's tag stream, written to PTU, read back and replayed through the herald engine, gives the
/// run's heralds pattern by pattern: live and file paths use one engine.
@Suite struct TagReplayTests {
    let logger = Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }

    @Test(arguments: ["polarization", "time-bin"])
    func replayReproducesTheRun(encoding: String) async throws {
        var text = try LabConfig.defaultYAML()
        if encoding == "time-bin" {
            text = text.replacingOccurrences(of: "encoding: polarization", with: "encoding: time-bin")
                .replacingOccurrences(of: "channels: { c0: 0, c1: 1, d0: 2, d1: 3 }", with: "channels: { c0: 0, c1: 0, d0: 1, d1: 1 }")
        }
        let config = try LabConfig.parse(yaml: text, speciesKeys: Species.presets.keys.sorted())
        let sim = try SimulatedLab(config: config, seed: 31, logger: logger)
        let stream = try await sim.tagger.startStreaming()
        let collector = Task {
            var all: [TimeTag] = []
            for await batch in stream { all += batch.tags }
            return all
        }
        let r = try await HeraldingSequencer(lab: sim.lab, settings: SequencerSettings(timing: config.timing), logger: logger)
            .run(until: StopCondition(heralds: 400))
        await sim.tagger.stopStreaming()
        let tags = await collector.value

        let file = try PTUFile.read(PTUFile.writeT2(tags, syncChannel: config.hub.syncChannel))
        #expect(file.tags.count == tags.count)
        // In the file the sync is channel 0 and detector channel c is input c + 1.
        var layout = sim.lab.slotLayout
        layout.channelOfSlot = layout.channelOfSlot.map { $0 + 1 }
        var engine = layout.heraldEngine(syncChannel: 0)
        let found = engine.process(file.tags) + engine.flush()
        #expect(found.count == r.heralds)
        #expect(engine.heralds.map(Int.init) == r.heraldsByPattern)
    }
}
