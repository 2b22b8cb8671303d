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

/// The tagger's stream, written to a PTU file (T2, `syncChannel` as the sync) as it arrives: tags are
/// held until a million have come, sorted, and the older half written, so memory stays bounded however
/// long the run while batches that arrive a little out of order (two units merged) still land in order.
final class TagFile: RunObserver {
    let path: String
    let syncChannel: Int32
    private struct State {
        var writer: PTUWriter?
        var pending: [TimeTag] = []
        var failure: TTTRFileError?
    }
    private let state: Mutex<State>
    static let hold = 1 << 20

    init(path: String, syncChannel: Int32) throws {
        self.path = path
        self.syncChannel = syncChannel
        state = Mutex(State(writer: try PTUWriter(url: URL(fileURLWithPath: path), syncChannel: syncChannel)))
    }

    var wantsTags: Bool { true }
    func tags(_ batch: [TimeTag]) {
        state.withLock { s in
            s.pending += batch
            guard s.pending.count >= Self.hold, s.failure == nil, let writer = s.writer else { return }
            s.pending.sort()
            do throws(TTTRFileError) { try writer.write(s.pending[..<(s.pending.count / 2)]) } catch { s.failure = error }
            s.pending.removeFirst(s.pending.count / 2)
        }
    }

    func finished(_ summary: RunSummary) throws {
        try state.withLock { s throws(TTTRFileError) in
            if let failure = s.failure { throw failure }
            guard let writer = s.writer else { return }
            s.pending.sort()
            try writer.write(s.pending)
            try writer.finish()
            s.pending = []
        }
    }
}
