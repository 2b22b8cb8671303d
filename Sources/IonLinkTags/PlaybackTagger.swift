import Foundation
import IonLink

/// A time tagger that plays a recorded PicoQuant file (PTU, PT2/PT3, HT2/HT3) as a live stream, so the
/// sequencer's herald logic can run again on a lab's recorded data.
///
/// The file's sync (channel 0) becomes the lab's sync channel; when that is not 0, the file's input n
/// becomes the lab's channel n − 1 (the convention `ionlink run --tags` writes, and PicoQuant's: inputs
/// count from 1). The stream is pulled batch by batch, so a slow reader holds the file back rather than
/// losing tags; at the recorded pace each batch waits until its first tag's time has passed on `clock`
/// (scaled by `speed`).
public actor PlaybackTagger: TimeTagger {
    /// How fast the file plays.
    public enum Pace: Sendable, Hashable {
        case asFastAsPossible
        /// The recording's own pace, times `speed` (2: twice as fast).
        case recorded(speed: Double)
    }

    public nonisolated let name: String
    public nonisolated let capabilities: Set<DeviceCapability> = [.syncInput, .tagStreaming]
    public nonisolated let channels: [Int32]
    public nonisolated let syncChannel: Int32?
    public nonisolated let resolution: Duration
    public nonisolated let identity: DeviceIdentity
    /// Tags in the file, on the lab's channels, in time order.
    public nonisolated let tags: [TimeTag]
    let pace: Pace
    let batchSize: Int
    let clock: ContinuousClock
    private var streaming = false

    /// - Parameters:
    ///   - syncChannel: the lab's sync channel (the file's channel 0 becomes it).
    ///   - batchSize: tags per batch (1…1 000 000).
    /// - Throws: the file's read error, or ``TTTRFileError`` when it holds no tags.
    public init(name: String, file: URL, syncChannel: Int32, pace: Pace = .asFastAsPossible, batchSize: Int = 4096,
                clock: ContinuousClock = ContinuousClock()) throws {
        let data = try TTTRFile.read(contentsOf: file)
        let shift: Int32 = syncChannel == 0 ? 0 : -1
        tags = data.tags.map { t in TimeTag(channel: t.channel == 0 ? syncChannel : t.channel + shift, picoseconds: t.picoseconds) }
            .sorted()
        self.name = name
        self.syncChannel = syncChannel
        channels = Array(Set(tags.map(\.channel))).sorted()
        resolution = .picoseconds(1)
        self.pace = pace
        self.batchSize = min(max(1, batchSize), 1_000_000)
        self.clock = clock
        // Listed among a run's instruments: the recording it plays.
        identity = DeviceIdentity(vendor: "Recording", model: file.lastPathComponent, serialNumber: "\(data.tags.count) tags",
                                  firmware: "\(data.recordType)")
    }

    public func identify() async throws -> DeviceIdentity { identity }

    public func startStreaming() async throws(TimeTaggerError) -> AsyncStream<TagBatch> {
        guard !streaming else { throw .alreadyStreaming(device: name) }
        streaming = true
        let tags = tags, size = batchSize, pace = pace, clock = clock
        let start = clock.now
        let next = Cursor()
        return AsyncStream(unfolding: {
            guard let range = next.take(size, of: tags.count) else { return nil }
            if case let .recorded(speed) = pace, speed > 0, let first = tags[range].first {
                let due = start.advanced(by: .picoseconds(first.picoseconds - tags[0].picoseconds) / speed)
                try? await clock.sleep(until: due)
            }
            return TagBatch(tags: Array(tags[range]), overflowLost: 0)
        })
    }

    public func stopStreaming() async { streaming = false }

    /// Where the stream has got to in the file.
    final class Cursor: @unchecked Sendable {
        // @unchecked: AsyncStream calls its unfolding closure for one `next()` at a time.
        private var at = 0
        func take(_ n: Int, of count: Int) -> Range<Int>? {
            guard at < count else { return nil }
            defer { at = min(count, at + n) }
            return at..<min(count, at + n)
        }
    }
}
