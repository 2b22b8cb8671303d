import IonLink
import Synchronization

/// Time-tagger units that share the attempt sync (its cable split to an input of each), seen as one tagger
/// on the lab's channels: what labs do when one unit has too few inputs (a TDC1 has four; the default
/// lab's four detectors and sync need five).
///
/// Each unit's input channels are mapped to the lab's (``Unit/channels``), the sync on every unit. The
/// units' clocks are independent (offset, drift), so their tags are not compared by time: each unit's
/// clicks are kept relative to the sync they follow, and the k-th sync of every unit is the same attempt.
/// A sync is passed on once every unit has closed it (seen the next sync, or two of its acquisitions
/// without one), at the first unit's time, with every unit's clicks placed after it as they were after that
/// unit's own sync. Consecutive syncs must be as far apart on every unit (within a few bins and
/// 10⁻⁴ of the interval: crystal drift); a unit that lost or gained a sync ends the stream, and the attempt
/// loop's recovery starts every unit afresh, aligned again at the first sync.
///
/// Acquisitions (``TagBatch/acquisitions``) are passed on only while no sync is waiting to close, so the
/// attempt loop never sees time pass that a unit has not finished tagging.
public actor SyncAlignedTagger: TimeTagger {
    /// One unit and the lab channel of each of its channels (a channel not listed is not connected).
    public struct Unit: Sendable {
        public var tagger: any TimeTagger
        public var channels: [Int32: Int32]
        public init(tagger: any TimeTagger, channels: [Int32: Int32]) {
            self.tagger = tagger
            self.channels = channels
        }
    }

    public nonisolated let name: String
    public nonisolated let units: [Unit]
    public nonisolated let channels: [Int32]
    public nonisolated let syncChannel: Int32?
    public nonisolated let resolution: Duration
    public nonisolated var capabilities: Set<DeviceCapability> { units[0].tagger.capabilities }
    private var merging: Task<Void, Never>?

    /// - Parameter sync: the lab's sync channel; every unit must map one of its channels to it.
    public init(name: String, units: [Unit], sync: Int32) {
        precondition(!units.isEmpty && units.allSatisfy { $0.channels.values.contains(sync) }, "every unit sees the sync")
        self.name = name
        self.units = units
        channels = Set(units.flatMap(\.channels.values)).sorted()
        syncChannel = sync
        resolution = units.map(\.tagger.resolution).max()!
    }

    public func identify() async throws -> DeviceIdentity {
        let first = try await units[0].tagger.identify()
        guard units.count > 1 else { return first }
        return DeviceIdentity(vendor: first.vendor, model: "\(units.count) × \(first.model) (sync-aligned)", serialNumber: first.serialNumber,
                              firmware: first.firmware)
    }

    public func startStreaming() async throws(TimeTaggerError) -> AsyncStream<TagBatch> {
        guard merging == nil else { throw .alreadyStreaming(device: name) }
        var streams: [AsyncStream<TagBatch>] = []
        for unit in units {
            do { streams.append(try await unit.tagger.startStreaming()) } catch {
                for started in units.prefix(streams.count) { await started.tagger.stopStreaming() }
                throw error
            }
        }
        let (out, continuation) = AsyncStream<TagBatch>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let (arrivals, arrived) = AsyncStream<(Int, TagBatch?)>.makeStream()
        let merger = SyncMerger(units: units.map(\.channels), sync: syncChannel!, bin: resolution.inPicoseconds)
        merging = Task {
            await withTaskGroup(of: Void.self) { group in
                for (k, stream) in streams.enumerated() {
                    group.addTask {
                        for await batch in stream { arrived.yield((k, batch)) }
                        arrived.yield((k, nil))
                    }
                }
                var merger = merger
                for await (k, batch) in arrivals {
                    guard let batch, let merged = merger.take(batch, from: k) else { break }
                    for m in merged { continuation.yield(m) }
                }
                continuation.finish()
                arrived.finish()
                group.cancelAll()
            }
            await self.ended()
        }
        continuation.onTermination = { _ in Task { await self.stopStreaming() } }
        return out
    }

    public func stopStreaming() async {
        merging?.cancel()
        merging = nil
        await stopUnits()
    }

    /// The merge ended by itself (a unit's stream ended, or the units disagreed): a new stream may start.
    private func ended() async {
        merging = nil
        await stopUnits()
    }

    private func stopUnits() async {
        for unit in units { await unit.tagger.stopStreaming() }
    }
}

/// The merging of ``SyncAlignedTagger``: per unit, the syncs with their clicks, closed and waiting for
/// the other units.
struct SyncMerger: Sendable {
    struct Attempt: Sendable {
        var sync: Int64
        var clicks: [TimeTag] = []
    }

    struct UnitState: Sendable {
        var channels: [Int32: Int32]
        var open: Attempt?
        var closed: [Attempt] = []
        var acquisitionsSinceSync = 0
        var acquisitions = 0
        var lastSync: Int64?
    }

    var units: [UnitState]
    let sync: Int32
    let bin: Int64
    var reportedAcquisitions = 0

    init(units: [[Int32: Int32]], sync: Int32, bin: Int64) {
        self.units = units.map { UnitState(channels: $0) }
        self.sync = sync
        self.bin = max(1, bin)
    }

    /// Takes one unit's batch. Returns the merged batches (none when there is nothing to pass on), or nil
    /// when the units disagree about the syncs (the stream must end).
    ///
    /// When the last held attempts are released, the acquisitions every unit has made since its last sync
    /// follow them in a batch of their own: the reader then sees, as from a single unit, that tagger time
    /// has passed without a sync, and need not wait for more.
    mutating func take(_ batch: TagBatch, from k: Int) -> [TagBatch]? {
        var sawSync = false
        for tag in batch.tags {
            guard let lab = units[k].channels[tag.channel] else { continue }
            if lab == sync {
                if let open = units[k].open { units[k].closed.append(open) }
                units[k].open = Attempt(sync: tag.picoseconds)
                sawSync = true
            } else {
                units[k].open?.clicks.append(TimeTag(channel: lab, picoseconds: tag.picoseconds))
            }
        }
        units[k].acquisitions += batch.acquisitions
        units[k].acquisitionsSinceSync = sawSync ? 0 : units[k].acquisitionsSinceSync + batch.acquisitions
        if units[k].acquisitionsSinceSync >= 2, let open = units[k].open {
            units[k].closed.append(open)
            units[k].open = nil
        }
        var tags: [TimeTag] = []
        while units.allSatisfy({ !$0.closed.isEmpty }) {
            let attempts = units.indices.map { units[$0].closed.removeFirst() }
            // Every unit's sync interval agrees (the same attempts), within bins and crystal drift.
            let intervals = units.indices.map { i in units[i].lastSync.map { attempts[i].sync - $0 } }
            for i in units.indices { units[i].lastSync = attempts[i].sync }
            if let reference = intervals[0] {
                for interval in intervals.dropFirst() {
                    guard let interval, abs(interval - reference) <= 4 * bin + reference / 10_000 else { return nil }
                }
            }
            let t0 = attempts[0].sync
            tags.append(TimeTag(channel: sync, picoseconds: t0))
            for (i, attempt) in attempts.enumerated() {
                for click in attempt.clicks {
                    tags.append(TimeTag(channel: click.channel, picoseconds: t0 + (click.picoseconds - attempts[i].sync)))
                }
            }
        }
        tags.sort { $0.picoseconds < $1.picoseconds }
        var acquisitions = 0, quiet = 0
        if units.allSatisfy({ $0.open == nil && $0.closed.isEmpty }) {
            let done = units.map(\.acquisitions).min() ?? 0
            acquisitions = max(0, done - reportedAcquisitions)
            reportedAcquisitions = max(reportedAcquisitions, done)
            if !tags.isEmpty { quiet = min(acquisitions, units.map(\.acquisitionsSinceSync).min() ?? 0) }
        }
        var merged: [TagBatch] = []
        if !tags.isEmpty || acquisitions > quiet || batch.overflowLost > 0 {
            merged.append(TagBatch(tags: tags, overflowLost: batch.overflowLost, acquisitions: acquisitions - quiet))
        }
        if quiet > 0 { merged.append(TagBatch(tags: [], acquisitions: quiet)) }
        return merged
    }
}
