import GRPCCore
import IonLink
import Synchronization

/// A pulse generator served by another node.
public final class RemotePulseGenerator: PulseGenerator {
    let node: RemoteNode
    public let role: String
    public let name: String
    public let capabilities: Set<DeviceCapability>
    public let minimumStep: Duration
    private let last = Mutex<PulseSequence?>(nil)

    init(node: RemoteNode, role: String, description d: Ionlink_V1_DeviceDescription) {
        self.node = node
        self.role = role
        name = d.name
        capabilities = d.deviceCapabilities
        minimumStep = .picoseconds(d.minimumStepPs)
    }

    public func identify() async throws -> DeviceIdentity { try await node.identify(role: role) }

    public func program(_ sequence: PulseSequence) async throws(PulseGeneratorError) {
        guard !sequence.steps.isEmpty else { throw .emptySequence(device: name) }
        if let short = sequence.steps.first(where: { $0.duration < minimumStep }) {
            throw .stepTooShort(device: name, step: "\(short.role.rawValue) \(short.duration)", minimum: minimumStep)
        }
        var request = Ionlink_V1_PulseProgram()
        request.role = role
        request.steps = sequence.steps.map { s in .with { $0.role = s.role.rawValue; $0.durationPs = s.duration.inPicoseconds } }
        let r = request
        _ = try await node.perform(PulseGeneratorError.self, device: name, command: "program") { c, o in
            try await c.programPulses(r, options: o)
        }
        last.withLock { $0 = sequence }
    }

    /// The sequence this client last programmed.
    public func programmed() async -> PulseSequence? { last.withLock { $0 } }

    /// Not sent: the wire has no such call; the serving node stops its own pulse generator when it
    /// brings its lab to the safe state.
    public func stop() async throws(PulseGeneratorError) {}
}

/// The hub's attempt loop, run from another machine: one call per burst; the hub's pulse generator
/// triggers both nodes' excitation and its tagger times the clicks, so no trigger crosses the network.
public struct RemoteAttemptLoop: AttemptLoop {
    let node: RemoteNode
    public let role: String
    public let attemptPeriod: Duration

    init(node: RemoteNode, role: String, description d: Ionlink_V1_DeviceDescription) {
        self.node = node
        self.role = role
        attemptPeriod = .picoseconds(d.attemptPeriodPs)
    }

    public func runBurst(maxAttempts: Int64) async throws(AttemptLoopError) -> BurstResult {
        let request = Ionlink_V1_BurstRequest.with { $0.role = role; $0.maxAttempts = maxAttempts }
        // A burst lasts up to its attempts' lab time (wall time with real hardware).
        let lasting = attemptPeriod * Double(maxAttempts)
        let reply = try await node.perform(AttemptLoopError.self, device: role, command: "runBurst", extra: lasting) { c, o in
            try await c.runBurst(request, options: o)
        }
        guard reply.attempts >= 0, reply.attempts <= maxAttempts else {
            throw .deviceFailure("\(role): burst of \(reply.attempts) attempts, asked for at most \(maxAttempts)")
        }
        var herald: HeraldEvent?
        if reply.hasHerald {
            guard let h = reply.herald.event else {
                throw .deviceFailure("\(role): herald with slots \(reply.herald.firstSlot)·\(reply.herald.secondSlot) is no heralding pattern")
            }
            herald = h
        }
        return BurstResult(attempts: reply.attempts, herald: herald, tagsLost: reply.tagsLost)
    }
}

/// A time tagger served by another node: its stream arrives over gRPC.
public final class RemoteTimeTagger: TimeTagger {
    let node: RemoteNode
    public let role: String
    public let name: String
    public let capabilities: Set<DeviceCapability>
    public let channels: [Int32]
    public let syncChannel: Int32?
    public let resolution: Duration
    private let reader = Mutex<Task<Void, Never>?>(nil)

    init(node: RemoteNode, role: String, description d: Ionlink_V1_DeviceDescription) {
        self.node = node
        self.role = role
        name = d.name
        capabilities = d.deviceCapabilities
        channels = d.taggerChannels
        syncChannel = d.syncChannel >= 0 ? d.syncChannel : nil
        resolution = .picoseconds(d.resolutionPs)
    }

    public func identify() async throws -> DeviceIdentity { try await node.identify(role: role) }

    public func startStreaming() async throws(TimeTaggerError) -> AsyncStream<TagBatch> {
        let (stream, continuation) = AsyncStream<TagBatch>.makeStream()
        let client = node.devicesClient, role = role, name = name, logger = node.logger
        let task = Task {
            do {
                try await client.streamTags(.with { $0.role = role }) { response in
                    for try await batch in response.messages {
                        continuation.yield(TagBatch(tags: batch.tags.map { TimeTag(channel: $0.channel, picoseconds: $0.timePs) },
                                                    overflowLost: Int(clamping: batch.overflowLost)))
                    }
                }
            } catch {
                if !Task.isCancelled { logger.warning("tag stream ended", metadata: ["device": "\(name)", "error": "\(error)"]) }
            }
            continuation.finish()
        }
        let running = reader.withLock { r -> Bool in
            if let r, !r.isCancelled { return true }
            r = task
            return false
        }
        if running {
            task.cancel()
            throw .alreadyStreaming(device: name)
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    public func stopStreaming() async {
        let task = reader.withLock { r -> Task<Void, Never>? in
            defer { r = nil }
            return r
        }
        task?.cancel()
        await task?.value
    }
}
