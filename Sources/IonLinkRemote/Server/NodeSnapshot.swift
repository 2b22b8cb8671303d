import Foundation
import IonLink

/// What a node's dashboard shows at one moment: its run's totals and rates, the model's values beside
/// them, and each device's state. JSON for the page (`/status.json`, `/events`).
public struct NodeSnapshot: Sendable, Codable, Hashable {
    public struct Device: Sendable, Codable, Hashable {
        public var role: String
        public var name: String
        public var ok: Bool
        public var detail: String
    }
    public var node: String
    /// "idle", "running" or "finished".
    public var phase: String
    public var run: Int64
    public var heralds: Int64
    public var attempts: Int64
    public var labTimeS: Double
    /// Heralds per second of lab time over the whole run.
    public var heraldRateHz: Double
    /// Heralds per second of lab time since the previous snapshot (nil for the first).
    public var recentHeraldRateHz: Double?
    public var successProbability: Double
    public var modelSuccessProbability: Double?
    public var fidelity: Double?
    public var fidelityCI95: Double?
    public var modelFidelity: Double?
    public var faults: Int64
    public var failure: String?
    public var devices: [Device]

    enum CodingKeys: String, CodingKey {
        case node, phase, run, heralds, attempts, devices, faults, failure
        case labTimeS = "lab_time_s", heraldRateHz = "herald_rate_hz", recentHeraldRateHz = "recent_herald_rate_hz"
        case successProbability = "success_probability", modelSuccessProbability = "model_success_probability"
        case fidelity, fidelityCI95 = "fidelity_ci95", modelFidelity = "model_fidelity"
    }

    public func json() -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: (try? e.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

extension RunsService {
    /// The node now; `previous` (the last snapshot) gives the recent herald rate.
    public func snapshot(after previous: NodeSnapshot? = nil) async -> NodeSnapshot {
        let u = board.latest
        let t = u.totals
        let phase = switch u.phase {
        case .running: "running"
        case .finished: "finished"
        default: "idle"
        }
        let labTime = Double(t.labTimePs) / 1e12
        var recent: Double?
        if let previous, previous.run == u.run, labTime > previous.labTimeS {
            recent = Double(t.heralds - previous.heralds) / (labTime - previous.labTimeS)
        }
        let hasModel = u.modelFidelity > 0
        return NodeSnapshot(
            node: node, phase: phase, run: u.run, heralds: t.heralds, attempts: t.attempts, labTimeS: labTime,
            heraldRateHz: t.heraldRateHz, recentHeraldRateHz: recent, successProbability: t.successProbability,
            modelSuccessProbability: hasModel ? u.modelSuccessProbability : nil,
            fidelity: t.heralds > 0 && t.fidelityCi95 > 0 ? t.fidelity : nil, fidelityCI95: t.fidelityCi95 > 0 ? t.fidelityCi95 : nil,
            modelFidelity: hasModel ? u.modelFidelity : nil, faults: t.faults, failure: t.failure.isEmpty ? nil : t.failure,
            devices: await deviceStatus().map { NodeSnapshot.Device(role: $0.role, name: $0.name, ok: $0.ok, detail: $0.detail) })
    }
}
