import GRPCCore
import IonLink
import IonLinkAssembly
import Logging

/// The `Devices` service: a node's devices, call by call.
///
/// Safety limits are the node's: a setpoint outside the served device's limit is refused here, before
/// the device sees it (and the device refuses it again before its wire). A command needs the control role.
public struct DevicesService: Ionlink_V1_Devices.SimpleServiceProtocol {
    let node: String
    let devices: ServedDevices
    let servesRuns: Bool
    let simulationSeed: UInt64?
    let logger: Logger

    /// - Parameters:
    ///   - servesRuns: whether the node also serves the `Runs` service (a whole lab).
    ///   - simulationSeed: the seed of the simulated lab behind the devices (nil for real instruments).
    public init(node: String, devices: ServedDevices, servesRuns: Bool = false, simulationSeed: UInt64?, logger: Logger) {
        self.node = node
        self.devices = devices
        self.servesRuns = servesRuns
        self.simulationSeed = simulationSeed
        self.logger = logger
    }

    var labTime: Int64 { devices.clock?.now().inPicoseconds ?? 0 }

    /// The most lab time one `Clock` call may let pass: a day, in picoseconds.
    static let longestSpend: Int64 = 86_400_000_000_000_000

    func find<D>(_ table: [String: D], _ role: String) throws -> D {
        guard let d = table[role] else {
            throw RPCError(code: .notFound, message: "node \(node) serves no device '\(role)' of this kind; it serves \(devices.roles)")
        }
        return d
    }

    public func describe(request: Ionlink_V1_DescribeRequest, context: ServerContext) async throws -> Ionlink_V1_NodeDescription {
        var d = Ionlink_V1_NodeDescription()
        d.node = node
        d.version = IonLinkVersion.current
        if let c = Caller.current {
            d.principal = c.principal
            d.role = c.role.wire
        }
        d.labTimePs = labTime
        d.runs = servesRuns
        d.simulated = simulationSeed != nil
        d.seed = simulationSeed ?? 0
        d.devices = describeDevices()
        return d
    }

    func describeDevices() -> [Ionlink_V1_DeviceDescription] {
        func base(_ role: String, _ kind: Ionlink_V1_DeviceKind, _ dev: (any Device)?) -> Ionlink_V1_DeviceDescription {
            var x = Ionlink_V1_DeviceDescription()
            x.role = role
            x.kind = kind
            x.name = dev?.name ?? role
            x.capabilities = (dev?.capabilities ?? []).map(\.rawValue).sorted()
            return x
        }
        var out: [Ionlink_V1_DeviceDescription] = []
        for (role, l) in devices.lasers {
            var x = base(role, .laser, l)
            x.powerLimitW = .init(l.powerLimit)
            out.append(x)
        }
        for (role, t) in devices.traps {
            var x = base(role, .trap, t)
            x.electrodeLimitV = .init(t.electrodeLimit)
            x.rfAmplitudeLimitV = .init(t.rfAmplitudeLimit)
            x.electrodeCount = Int32(clamping: t.electrodeCount)
            out.append(x)
        }
        for (role, det) in devices.detectors {
            var x = base(role, .detector, det)
            x.biasLimitA = .init(det.biasLimit)
            x.channel = det.channel
            out.append(x)
        }
        for (role, p) in devices.pulses {
            var x = base(role, .pulses, p)
            x.minimumStepPs = p.minimumStep.inPicoseconds
            out.append(x)
        }
        for (role, t) in devices.taggers {
            var x = base(role, .tagger, t)
            x.taggerChannels = t.channels
            x.syncChannel = t.syncChannel ?? -1
            x.resolutionPs = t.resolution.inPicoseconds
            out.append(x)
        }
        for (role, l) in devices.loops {
            var x = base(role, .attemptLoop, nil)
            x.attemptPeriodPs = l.attemptPeriod.inPicoseconds
            out.append(x)
        }
        if devices.clock != nil { out.append(base("hub.clock", .clock, nil)) }
        return out.sorted { $0.role < $1.role }
    }

    public func identify(request: Ionlink_V1_DeviceRef, context: ServerContext) async throws -> Ionlink_V1_Identity {
        let device = try find(devices.instruments, request.role)
        let id: DeviceIdentity
        do { id = try await device.identify() } catch {
            throw RPCError(code: .unavailable, message: "\(request.role): identification failed: \(error)")
        }
        var out = Ionlink_V1_Identity()
        out.vendor = id.vendor
        out.model = id.model
        out.serialNumber = id.serialNumber
        out.firmware = id.firmware
        out.labTimePs = labTime
        return out
    }

    public func laser(request: Ionlink_V1_LaserCall, context: ServerContext) async throws -> Ionlink_V1_LaserReply {
        let laser = try find(devices.lasers, request.role)
        return try await serve(LaserCall(request: request), on: laser, device: laser, role: request.role)
    }

    public func trap(request: Ionlink_V1_TrapCall, context: ServerContext) async throws -> Ionlink_V1_TrapReply {
        let trap = try find(devices.traps, request.role)
        return try await serve(TrapCall(request: request), on: trap, device: trap, role: request.role)
    }

    public func detector(request: Ionlink_V1_DetectorCall, context: ServerContext) async throws -> Ionlink_V1_DetectorReply {
        let det = try find(devices.detectors, request.role)
        return try await serve(DetectorCall(request: request), on: det, device: det, role: request.role)
    }

    /// One device call: a call that changes the device needs the control role and is logged; the node's
    /// limits are checked before the device sees it (and the device checks again before its wire).
    func serve<Call: WireCall>(_ call: Call, on target: Call.Target, device: any Device, role: String) async throws -> Call.Reply {
        if call.changesDevice {
            try requireControl("\(call.command) on \(role)")
            logger.info("device call", metadata: ["device": "\(device.name)", "command": "\(call.command)", "call": "\(call)"])
        }
        var reply: Call.Reply
        do {
            try call.check(against: target)
            reply = Call.reply(try await call.perform(on: target))
        } catch {
            logger.warning("device call failed", metadata: ["device": "\(device.name)", "command": "\(call.command)", "error": "\(error)"])
            throw error.rpcError
        }
        reply.labTimePs = labTime
        return reply
    }

    public func programPulses(request: Ionlink_V1_PulseProgram, context: ServerContext) async throws -> Ionlink_V1_LabTime {
        let gen = try find(devices.pulses, request.role)
        var steps: [PulseStep] = []
        for s in request.steps {
            guard let role = PulseRole(rawValue: s.role) else {
                throw RPCError(code: .invalidArgument, message: "unknown pulse role '\(s.role)'; known: \(PulseRole.allCases.map(\.rawValue))")
            }
            steps.append(PulseStep(role, .picoseconds(s.durationPs)))
        }
        do { try await gen.program(PulseSequence(steps)) } catch { throw error.rpcError }
        return .with { $0.labTimePs = labTime }
    }

    public func runBurst(request: Ionlink_V1_BurstRequest, context: ServerContext) async throws -> Ionlink_V1_BurstReply {
        let loop = try find(devices.loops, request.role)
        // A burst lasts at most a day of lab time, as a clock spend does: more would overflow the lab clock.
        let most = Self.longestSpend / max(loop.attemptPeriod.inPicoseconds, 1)
        guard request.maxAttempts > 0, request.maxAttempts <= most else {
            throw RPCError(code: .invalidArgument, message: "max_attempts must lie in 1…\(most) (a day of attempts)")
        }
        let burst: BurstResult
        do { burst = try await loop.runBurst(maxAttempts: request.maxAttempts) } catch { throw error.rpcError }
        var reply = Ionlink_V1_BurstReply()
        reply.attempts = burst.attempts
        reply.tagsLost = burst.tagsLost
        if let h = burst.herald { reply.herald = .init(h) }
        reply.labTimePs = labTime
        return reply
    }

    public func clock(request: Ionlink_V1_ClockCall, context: ServerContext) async throws -> Ionlink_V1_LabTime {
        guard let clock = devices.clock else { throw RPCError(code: .notFound, message: "node \(node) serves no lab clock") }
        if request.spendPs != 0 {
            try requireControl("letting lab time pass")
            guard request.spendPs > 0, request.spendPs <= Self.longestSpend else {
                throw RPCError(code: .invalidArgument, message: "spend_ps must lie in 1…\(Self.longestSpend) (a day)")
            }
            let now = clock.now().inPicoseconds
            guard now <= Int64.max / 2 - request.spendPs else {
                throw RPCError(code: .invalidArgument, message: "lab time \(now) ps plus spend_ps would pass the clock's range")
            }
            await clock.spend(.picoseconds(request.spendPs))
        }
        return .with { $0.labTimePs = clock.now().inPicoseconds }
    }

    public func streamTags(request: Ionlink_V1_DeviceRef, response: RPCWriter<Ionlink_V1_TagBatch>, context: ServerContext) async throws {
        let tagger = try find(devices.taggers, request.role)
        let stream: AsyncStream<TagBatch>
        do { stream = try await tagger.startStreaming() } catch {
            throw RPCError(code: .failedPrecondition, message: "\(error)")
        }
        logger.info("tag stream opened", metadata: ["device": "\(tagger.name)", "principal": "\(Caller.current?.principal ?? "?")"])
        // However the stream ends (the client went away, the call was cancelled, the tagger stopped),
        // the tagger is released for the next stream.
        do {
            try await untilCancelled(context) {
                for await batch in stream {
                    var b = Ionlink_V1_TagBatch()
                    b.tags = batch.tags.map { t in .with { $0.channel = t.channel; $0.timePs = t.picoseconds } }
                    b.overflowLost = Int64(batch.overflowLost)
                    try await response.write(b)
                }
            }
        } catch {
            await tagger.stopStreaming()
            logger.info("tag stream closed", metadata: ["device": "\(tagger.name)", "reason": "\(error)"])
            throw error
        }
        await tagger.stopStreaming()
        logger.info("tag stream closed", metadata: ["device": "\(tagger.name)"])
    }
}

extension Error {
    /// The RPC error a device error becomes on the wire.
    var rpcError: RPCError {
        if let e = self as? any WireError { return e.rpcError }
        if let e = self as? RPCError { return e }
        return RPCError(code: .internalError, message: "\(self)")
    }
}
