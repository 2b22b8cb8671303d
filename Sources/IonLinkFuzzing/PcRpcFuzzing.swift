import IonLink
import IonLinkAssembly
import IonLinkController
import Logging
import Synchronization

/// Plays a hostile or broken ARTIQ client against `ionlink controller`'s protocol: after the greeting, the
/// first byte of an input selects a target (its index among the default simulated lab's roles) and every
/// following line is sent as a request, so the PYON reader, the argument binding and every method's range
/// checks meet arbitrary text and numbers. Each line must be answered (a reply or a closed connection),
/// never a crash or a hang. The targets are built once and kept across inputs (as a long-running controller
/// keeps its devices), with an ``InstantClock`` for the tagger's `count`, so an exposure takes no wall time.
/// The fuzz target `FuzzPcRpc` and `PcRpcFuzzTests` both run it.
public enum PcRpcFuzzing {
    static let logger = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }

    /// Runs one input to completion (blocking the caller: libFuzzer's callback is synchronous).
    public static func run(_ input: [UInt8]) {
        runBlocking { _ = await exercise(input) }
    }

    /// The replies to one input's lines (nil for an empty input), ending where the session closed.
    public static func exercise(_ input: [UInt8]) async -> [String?]? {
        guard let selector = input.first, let targets = try? await Targets.shared.get() else { return nil }
        var session = PcRpcSession(targets: targets, description: "fuzz", logger: logger)
        let names = targets.keys.sorted()
        _ = await session.receive(PcRpcSession.greeting)
        _ = await session.receive("\(names[Int(selector) % names.count]) pyon_v2")
        var replies: [String?] = []
        for line in String(decoding: input.dropFirst(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).prefix(64) {
            let step = await session.receive(String(line))
            replies.append(step.reply)
            if step.close { break }
        }
        return replies
    }

    /// The default lab's targets, made on first use.
    final class Targets: Sendable {
        static let shared = Targets()
        private let made = Mutex<Task<[String: ControllerTarget], any Error>?>(nil)

        func get() async throws -> [String: ControllerTarget] {
            let task = made.withLock { task in
                if let task { return task }
                let new = Task {
                    let builder = LabBuilder(logger: PcRpcFuzzing.logger)
                    let lab = try await builder.build(try builder.parse(yaml: LabConfig.defaultYAML()), seed: 1).lab
                    return Dictionary(uniqueKeysWithValues: ServedDevices(lab: lab).controllerTargets(clock: InstantClock()).map { ($0.name, $0) })
                }
                task = new
                return new
            }
            return try await task.value
        }
    }
}

/// A clock whose sleeps end at once (its time moves by the slept amount): a fuzzed exposure takes no wall time.
public struct InstantClock: Clock, Sendable {
    public struct Instant: InstantProtocol {
        public var offset: Duration
        public func advanced(by d: Duration) -> Instant { Instant(offset: offset + d) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    public init() {}
    public var now: Instant { Instant(offset: .zero) }
    public var minimumResolution: Duration { .zero }
    public func sleep(until deadline: Instant, tolerance: Duration?) async throws { try Task.checkCancellation() }
}
