import Foundation
import IonLink
import IonLinkAssembly
import IonLinkSequencer
import IonLinkTags
import Logging
import Synchronization

/// The run's progress on one stderr line, rewritten after each burst (when stderr is a terminal).
struct ProgressLine: RunObserver {
    func progress(_ r: RunResult) {
        let line = String(format: "\r%lld attempts, %d heralds, %.3f s lab time   ", r.attempts, r.heralds, r.time.total.inSeconds)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finished(_ summary: RunSummary) throws { FileHandle.standardError.write(Data("\n".utf8)) }
}

/// Each step of the safe state after an interrupted or failed run, on stderr.
struct SafeStateReport: RunObserver {
    let logger: Logger
    func safeState(_ step: SafeStateStep) { FileHandle.standardError.write(Data("safe state  \(step)\n".utf8)) }
}

/// The tagger's stream, written to a PTU file (T2, `syncChannel` as the sync) when the run ends.
final class TagFile: RunObserver {
    let path: String
    let syncChannel: Int32
    private let collected = Mutex<[TimeTag]>([])

    init(path: String, syncChannel: Int32) {
        self.path = path
        self.syncChannel = syncChannel
    }

    var wantsTags: Bool { true }
    func tags(_ batch: [TimeTag]) { collected.withLock { $0 += batch } }
    func finished(_ summary: RunSummary) throws {
        try Data(PTUFile.writeT2(collected.withLock { $0 }, syncChannel: syncChannel)).write(to: URL(fileURLWithPath: path))
    }
}
