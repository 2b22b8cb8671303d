import GRPCCore
import IonLink
import IonLinkAssembly
import IonLinkSequencer
import Logging
import Synchronization

/// The `Runs` service of a node that serves a whole lab: heralding runs started, watched and stopped
/// over the network.
///
/// A run belongs to the node, not to the call that started it: the client that started it may go away
/// and the run goes on (any observer can follow it with `WatchRun`). `StopRun` ends it after its burst
/// and leaves the lab in its safe state, as SIGINT does for `ionlink run`.
public final class RunsService: Ionlink_V1_Runs.SimpleServiceProtocol, Sendable {
    let node: String
    let assembled: AssembledLab
    let seed: UInt64
    let board: RunBoard
    let logger: Logger
    let records: ServedRunRecords?
    private let current = Mutex<Task<RunResult, Never>?>(nil)

    /// Serves runs on `lab`; `seed` is its simulation's, reported in each run's summary; each run leaves a
    /// record made by `records` (none without).
    public init(node: String, lab: AssembledLab, seed: UInt64, board: RunBoard, records: ServedRunRecords? = nil, logger: Logger) {
        self.records = records
        self.node = node
        assembled = lab
        self.seed = seed
        self.board = board
        self.logger = logger
    }

    var lab: Lab { assembled.lab }

    public func startRun(request: Ionlink_V1_RunRequest, response: RPCWriter<Ionlink_V1_RunUpdate>, context: ServerContext) async throws {
        let s = request.stop
        guard s.attempts >= 0, s.heralds >= 0, s.labTimePs >= 0, s.attempts + s.heralds + s.labTimePs > 0 else {
            throw RPCError(code: .invalidArgument, message: "a run needs a stop condition: attempts, heralds or lab_time_ps (positive)")
        }
        guard request.pace == 0 || Pacing.allowed.contains(request.pace) else {
            throw RPCError(code: .invalidArgument, message: "pace must be 0 (as fast as the devices go) or lie in 1e-6…1e12")
        }
        var stop = StopCondition()
        if s.attempts > 0 { stop.attempts = s.attempts }
        if s.heralds > 0 { stop.heralds = Int(s.heralds) }
        if s.labTimePs > 0 { stop.labTime = .picoseconds(s.labTimePs) }
        let principal = Caller.current?.principal ?? "?"
        // Subscribe before the run starts, so the caller sees it from its first update.
        let (updates, number) = try begin(stop: stop, pace: request.pace > 0 ? Pacing(labPerWall: request.pace) : nil, heralds: request.heralds,
                                          principal: principal)
        logger.notice("run started", metadata: ["run": "\(number)", "principal": "\(principal)", "stop": "\(stop)"])
        try await forward(updates, to: response, context)
    }

    private func begin(stop: StopCondition, pace: Pacing?, heralds: Bool, principal: String) throws
        -> (AsyncStream<Ionlink_V1_RunUpdate>, Int64)
    {
        try current.withLock { task -> (AsyncStream<Ionlink_V1_RunUpdate>, Int64) in
            if board.latest.phase == .running {
                throw RPCError(code: .failedPrecondition, message: "node \(node) is already running run \(board.latest.run); watch it or stop it")
            }
            let number = board.begin()
            let updates = board.watch(heralds: heralds)
            let board = board, assembled = assembled, logger = logger, records = records
            let request = RunRequest(seed: seed, stop: stop, pacing: pace)
            task = Task {
                var result: RunResult
                var summary: RunSummary?
                do {
                    // The session leaves the lab safe after an interrupted or failed run.
                    let session = try await RunSession.prepare(assembled, request: request, logger: logger)
                    let record = try records?.begin(number, request, session.identities)
                    if let record { board.recording(record.path) }
                    let observers: [any RunObserver] = [BoardFeed(board: board)] + (record.map { [$0.observer] } ?? [])
                    (summary, result) = try await session.runWithTotals(observers: observers)
                } catch {
                    result = RunResult()
                    result.failure = "\(error)"
                }
                board.finish(result, summary: summary)
                logger.notice("run finished", metadata: ["run": "\(number)", "heralds": "\(result.heralds)", "attempts": "\(result.attempts)"])
                return result
            }
            return (updates, number)
        }
    }

    /// Writes updates until the run ends or the caller goes away (then only this stream ends).
    private func forward(_ updates: AsyncStream<Ionlink_V1_RunUpdate>, to response: RPCWriter<Ionlink_V1_RunUpdate>,
                         _ context: ServerContext) async throws {
        try await untilCancelled(context) {
            for await u in updates { try await response.write(u) }
        }
    }

    public func watchRun(request: Ionlink_V1_WatchRequest, response: RPCWriter<Ionlink_V1_RunUpdate>, context: ServerContext) async throws {
        try await forward(board.watch(heralds: request.heralds), to: response, context)
    }

    public func stopRun(request: Ionlink_V1_StopRequest, context: ServerContext) async throws -> Ionlink_V1_RunUpdate {
        logger.notice("run stop requested", metadata: ["principal": "\(Caller.current?.principal ?? "?")"])
        return await stopCurrentRun()
    }

    /// Stops the run in progress, if any, after its burst (the lab left in its safe state) and returns the
    /// last update. The node does this before shutting down, so no stream waits on a run.
    @discardableResult
    public func stopCurrentRun() async -> Ionlink_V1_RunUpdate {
        guard let task = current.withLock({ $0 }) else { return board.latest }
        task.cancel()
        _ = await task.value
        return board.latest
    }

    public func status(request: Ionlink_V1_StatusRequest, context: ServerContext) async throws -> Ionlink_V1_NodeStatus {
        var s = Ionlink_V1_NodeStatus()
        s.node = node
        s.run = board.latest
        s.labTimePs = lab.clock.now().inPicoseconds
        s.devices = await deviceStatus()
        return s
    }

    /// Each device's state, read now: lasers' interlock and emission, detectors' latch.
    func deviceStatus() async -> [Ionlink_V1_DeviceStatus] {
        var out: [Ionlink_V1_DeviceStatus] = []
        func add(_ role: String, _ name: String, _ kind: Ionlink_V1_DeviceKind, ok: Bool, _ detail: String) {
            out.append(.with { $0.role = role; $0.name = name; $0.kind = kind; $0.ok = ok; $0.detail = detail })
        }
        for (i, n) in lab.nodes.enumerated() {
            let p = ServedDevices.nodePrefix(i)
            for (suffix, laser) in [("cooling", n.cooling), ("excitation", n.excitation)] {
                do {
                    let st = try await laser.status()
                    add("\(p).\(suffix)", laser.name, .laser, ok: st.interlockClosed && st.faultCode == 0,
                        "\(st.emitting ? "emitting" : "off"), interlock \(st.interlockClosed ? "closed" : "OPEN")"
                            + (st.faultCode == 0 ? "" : ", fault \(st.faultCode)"))
                } catch { add("\(p).\(suffix)", laser.name, .laser, ok: false, "\(error)") }
            }
            add("\(p).trap", n.trap.name, .trap, ok: true, "")
        }
        for d in lab.detectors {
            do {
                let latch = try await d.latchState()
                add("hub.detector\(d.channel)", d.name, .detector, ok: latch != .latched, latch == .latched ? "LATCHED" : "normal")
            } catch { add("hub.detector\(d.channel)", d.name, .detector, ok: false, "\(error)") }
        }
        return out
    }
}

/// A run's progress and heralds, fed to the node's board.
struct BoardFeed: RunObserver {
    let board: RunBoard
    func progress(_ totals: RunResult) { board.progress(totals) }
    func herald(_ herald: HeraldRecord, totals: RunResult) { board.herald(herald, totals) }
}
