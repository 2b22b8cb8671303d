import IonLink
import Synchronization

/// A simulated time tagger: the attempt loop hands it the sync and click tags of every heralding
/// attempt (attempts without a herald are skipped over, so their tags are not made), and it streams
/// them as ``TagBatch``es to whoever is listening.
public final class SimulatedTimeTagger: TimeTagger {
    public let name: String
    public let channels: [Int32]
    public let syncChannel: Int32?
    public let resolution: Duration
    public let capabilities: Set<DeviceCapability> = [.tagStreaming, .syncInput, .overflowReporting]
    private let continuation = Mutex<AsyncStream<TagBatch>.Continuation?>(nil)
    private let overflowing = Mutex(false)

    public init(name: String, channels: [Int32], syncChannel: Int32?, resolution: Duration) {
        self.name = name
        self.channels = channels
        self.syncChannel = syncChannel
        self.resolution = resolution
    }

    public func identify() async throws -> DeviceIdentity {
        DeviceIdentity(vendor: "IonLink", model: "SimulatedTimeTagger", serialNumber: name, firmware: "sim")
    }

    public func startStreaming() async throws(TimeTaggerError) -> AsyncStream<TagBatch> {
        let (stream, cont) = AsyncStream<TagBatch>.makeStream(bufferingPolicy: .bufferingNewest(1 << 16))
        let busy = continuation.withLock { c -> Bool in
            if c != nil { return true }
            c = cont
            return false
        }
        if busy { throw .alreadyStreaming(device: name) }
        return stream
    }

    public func stopStreaming() async {
        continuation.withLock { c in
            c?.finish()
            c = nil
        }
    }

    /// Whether anyone is listening (so the attempt loop can skip building tags nobody reads).
    public var isStreaming: Bool { continuation.withLock { $0 != nil } }

    /// Whether the tagger's buffer is overflowing (a fault): tags arriving now are lost.
    public var isOverflowing: Bool { overflowing.withLock { $0 } }
    public func setOverflowing(_ on: Bool) { overflowing.withLock { $0 = on } }

    /// Reports `count` tags lost to overflow to the listener.
    public func reportLost(_ count: Int) {
        continuation.withLock { c in _ = c?.yield(TagBatch(tags: [], overflowLost: count)) }
    }

    /// Delivers tags, quantised to the tagger's resolution.
    public func deliver(_ tags: [TimeTag]) {
        let bin = max(1, resolution.inPicoseconds)
        let quantised = tags.map { TimeTag(channel: $0.channel, picoseconds: $0.picoseconds / bin * bin) }
        continuation.withLock { c in
            if case .dropped = c?.yield(TagBatch(tags: quantised)) {
                // The consumer fell behind: report the loss in the next batch.
                _ = c?.yield(TagBatch(tags: [], overflowLost: quantised.count))
            }
        }
    }
}
