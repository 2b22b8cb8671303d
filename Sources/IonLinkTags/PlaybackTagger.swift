import Foundation
import IonLink

/// A time tagger that plays a recorded PicoQuant file (PTU, PT2/PT3, HT2/HT3) as a live stream, so the
/// sequencer's herald logic can run again on a lab's recorded data.
///
/// The file's sync (channel 0) becomes the lab's sync channel; when that is not 0, the file's input n
/// becomes the lab's channel n − 1 (the convention `ionlink run --tags` writes, and PicoQuant's: inputs
/// count from 1). The file is read as it plays (``TTTRStream``, a chunk at a time, each chunk's tags in
/// time order), so a recording of any size plays in bounded memory; the stream is pulled batch by batch,
/// so a slow reader holds the file back rather than losing tags; at the recorded pace each batch waits
/// until its first tag's time has passed on `clock` (scaled by `speed`).
public actor PlaybackTagger: TimeTagger {
    /// How fast the file plays.
    public enum Pace: Sendable, Hashable {
        case asFastAsPossible
        /// The recording's own pace, times `speed` (2: twice as fast).
        case recorded(speed: Double)
    }

    public nonisolated let name: String
    public nonisolated let capabilities: Set<DeviceCapability> = [.syncInput, .tagStreaming]
    /// The lab channels that have tags in the file.
    public nonisolated let channels: [Int32]
    public nonisolated let syncChannel: Int32?
    public nonisolated let resolution: Duration
    public nonisolated let identity: DeviceIdentity
    /// Tags in the file.
    public nonisolated let tagCount: Int64
    let file: TTTRBytes
    let layout: TTTRLayout
    let first: Int64
    let pace: Pace
    let batchSize: Int
    let clock: ContinuousClock
    private var streaming = false

    /// Reads the file once to learn its channels and size (nothing of it is kept).
    /// - Parameters:
    ///   - syncChannel: the lab's sync channel (the file's channel 0 becomes it).
    ///   - batchSize: tags per batch (1…1 000 000).
    /// - Throws: the file's read error, or ``TTTRFileError`` when it holds no tags.
    public init(name: String, file url: URL, syncChannel: Int32, pace: Pace = .asFastAsPossible, batchSize: Int = 4096,
                clock: ContinuousClock = ContinuousClock()) throws {
        file = try TTTRBytes(contentsOf: url)
        layout = try TTTRFile.layout(file)
        let survey = TTTRStream(file, layout: layout, keepMarkers: false)
        while try survey.next({ _ in }) {}
        guard let first = survey.first?.picoseconds else {
            throw TTTRFileError.malformedHeader(offset: layout.recordOffset, message: "the recording holds no tags")
        }
        self.first = first
        tagCount = survey.channelCounts.values.reduce(0, +)
        self.name = name
        self.syncChannel = syncChannel
        channels = Set(survey.channelCounts.keys.map { Self.labChannel($0, sync: syncChannel) }).sorted()
        resolution = .picoseconds(1)
        self.pace = pace
        self.batchSize = min(max(1, batchSize), 1_000_000)
        self.clock = clock
        // Listed among a run's instruments: the recording it plays.
        identity = DeviceIdentity(vendor: "Recording", model: url.lastPathComponent, serialNumber: "\(tagCount) tags",
                                  firmware: "\(layout.recordType)")
    }

    /// The lab's channel for the file's `channel`.
    static func labChannel(_ channel: Int32, sync: Int32) -> Int32 { channel == 0 ? sync : channel - (sync == 0 ? 0 : 1) }

    public func identify() async throws -> DeviceIdentity { identity }

    public func startStreaming() async throws(TimeTaggerError) -> AsyncStream<TagBatch> {
        guard !streaming else { throw .alreadyStreaming(device: name) }
        streaming = true
        let size = batchSize, pace = pace, clock = clock, first = first
        let reader = Reader(TTTRStream(file, layout: layout, keepMarkers: false), sync: syncChannel ?? 0)
        let start = clock.now
        return AsyncStream(unfolding: {
            guard let batch = reader.take(size), let head = batch.first else { return nil }
            if case let .recorded(speed) = pace, speed > 0 {
                try? await clock.sleep(until: start.advanced(by: .picoseconds(head.picoseconds - first) / speed))
            }
            return TagBatch(tags: batch, overflowLost: 0)
        })
    }

    public func stopStreaming() async { streaming = false }

    /// Where the stream has got to in the file: the decoded chunk not yet handed out.
    final class Reader: @unchecked Sendable {
        // @unchecked: AsyncStream calls its unfolding closure for one `next()` at a time.
        private let stream: TTTRStream
        private let sync: Int32
        private var pending: [TimeTag] = []
        private var at = 0

        init(_ stream: TTTRStream, sync: Int32) {
            self.stream = stream
            self.sync = sync
        }

        /// The next `n` tags or fewer, on the lab's channels; nil at the file's end (or at a read error,
        /// which a file already read once at the tagger's creation cannot have unless it changed since).
        func take(_ n: Int) -> [TimeTag]? {
            while at >= pending.count {
                pending.removeAll(keepingCapacity: true)
                at = 0
                let sync = sync
                guard (try? stream.next({ chunk in
                    pending.append(contentsOf: chunk.lazy.map { TimeTag(channel: PlaybackTagger.labChannel($0.channel, sync: sync),
                                                                        picoseconds: $0.picoseconds) })
                })) == true else { return nil }
                pending.sort()
            }
            defer { at = min(pending.count, at + n) }
            return Array(pending[at..<min(pending.count, at + n)])
        }
    }
}
