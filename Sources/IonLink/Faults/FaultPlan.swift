import Foundation
import Yams

/// A fault that a fault plan can inject.
public enum FaultKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// The device's next `count` replies never arrive: each call fails after the reply timeout.
    case timeout
    /// The device's next `count` replies are line noise.
    case garbage
    /// The device drops off the bus for `for_s` seconds, then re-appears.
    case disconnect
    /// An SNSPD switches to its resistive state (a flash of light, a bias transient) and stops clicking.
    case latch
    /// A laser's interlock loop opens (a door, a shutter) for `for_s` seconds: emission stops.
    case interlock
    /// The time tagger's buffer overflows for `for_s` seconds: every tag in that time is lost.
    case overflow
    /// `count` ion losses, `every_s` apart (a burst of background-gas collisions).
    case ionLoss = "ion_loss"
    /// The controlling process is killed (SIGKILL) at this lab time.
    case kill

    /// Faults injected by wrapping a device (any device, real or simulated); the rest act on the
    /// device's physics or the process, through a ``FaultKnob``.
    public var isWrapperFault: Bool { self == .timeout || self == .garbage || self == .disconnect }
}

/// One entry of a fault plan: what happens to which device, when (lab time since the run began).
public struct ScheduledFault: Sendable, Hashable {
    public var at: Duration
    /// The device's name (`nodeA.excitation`, `hub.detector2`, `nodeB.trap`, `hub.tagger`); empty for `kill`.
    public var device: String
    public var kind: FaultKind
    /// Replies affected (`timeout`, `garbage`) or losses (`ion_loss`).
    public var count: Int
    /// How long the fault lasts (`disconnect`, `interlock`, `overflow`).
    public var duration: Duration
    /// Spacing of the losses of an `ion_loss` burst.
    public var spacing: Duration
    /// The entry happens again this often (nil: once).
    public var repeatEvery: Duration?
    /// The entry's line in the plan's YAML (0 when built in code), for errors found later.
    public var line = 0

    public init(at: Duration, device: String, kind: FaultKind, count: Int = 1, duration: Duration = .zero,
                spacing: Duration = .zero, repeatEvery: Duration? = nil) {
        self.at = at
        self.device = device
        self.kind = kind
        self.count = count
        self.duration = duration
        self.spacing = spacing
        self.repeatEvery = repeatEvery
    }
}

/// Why a fault plan cannot be used: the key and line, as for the lab YAML.
public struct FaultPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problem: ConfigError
    public var description: String {
        let text = problem.description
        return text.hasPrefix("lab config") ? "fault plan" + text.dropFirst("lab config".count) : "fault plan: \(text)"
    }
}

/// Faults to inject during a run, on a lab-time schedule, read from YAML:
///
/// ```yaml
/// faults:
///   - { at_s: 60,  device: nodeA.cooling,    fault: timeout,    count: 3 }
///   - { at_s: 90,  device: hub.detector1,    fault: disconnect, for_s: 20 }
///   - { at_s: 120, device: hub.detector2,    fault: latch }
///   - { at_s: 150, device: nodeA.excitation, fault: interlock,  for_s: 45, repeat_every_s: 3600 }
///   - { at_s: 200, device: hub.tagger,       fault: overflow,   for_s: 0.5 }
///   - { at_s: 250, device: nodeB.trap,       fault: ion_loss,   count: 5, every_s: 20 }
///   - { at_s: 300, fault: kill }
/// ```
public struct FaultPlan: Sendable, Hashable {
    public var faults: [ScheduledFault]

    public init(_ faults: [ScheduledFault]) { self.faults = faults }

    /// Parses a plan; unknown keys, a missing device, a device-less fault that needs one and values out
    /// of range are ``FaultPlanError``s naming the key and line.
    public static func parse(yaml: String) throws(FaultPlanError) -> FaultPlan {
        do throws(ConfigError) {
            let top = try ConfigSection.root(yaml: yaml)
            var out: [ScheduledFault] = []
            for s in try top.list("faults") {
                let kind = FaultKind(rawValue: try s.choice("fault", of: FaultKind.allCases.map(\.rawValue)))!
                var f = ScheduledFault(at: .secondsDouble(try s.double("at_s", in: 0...1e9)), device: "", kind: kind)
                f.line = s.line
                if kind != .kill { f.device = try s.string("device") }
                switch kind {
                case .timeout, .garbage: f.count = try s.int("count", in: 1...1_000_000)
                case .disconnect, .interlock, .overflow: f.duration = .secondsDouble(try s.double("for_s", in: 0...1e9))
                case .ionLoss:
                    f.count = try s.int("count", in: 1...1_000_000)
                    // Losses of one burst are apart in time (a burst of five at one instant is one loss).
                    if f.count > 1 || s.has("every_s") { f.spacing = .secondsDouble(try s.double("every_s", in: 1e-3...1e9)) }
                case .latch, .kill: break
                }
                if s.has("repeat_every_s") {
                    let every = try s.double("repeat_every_s", in: 1e-3...1e9)
                    guard kind != .kill else {
                        throw .outOfRange(
                            path: s.full("repeat_every_s"), value: "\(every)", allowed: "absent for kill", line: s.lineOf("repeat_every_s"))
                    }
                    f.repeatEvery = .secondsDouble(every)
                }
                try s.finish()
                out.append(f)
            }
            try top.finish()
            return FaultPlan(out)
        } catch {
            throw FaultPlanError(problem: error)
        }
    }
}
