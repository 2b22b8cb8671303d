import Foundation
import IonLink
import IonLinkPhysics

/// The outcome of one run, as printed (text), encoded (`--json`, snake_case keys) and stored in the run
/// record: the one summary every consumer reads.
public struct RunSummary: Codable, Sendable {
    public var lab: String
    public var encoding: String
    public var seed: UInt64
    public var attempts: Int64
    public var heralds: Int
    public var heraldsByState: [String: Int]
    public var heraldsByPattern: [String: Int]
    public var successProbability: Double
    public var successProbabilityStderr: Double
    public var successProbabilityAnalytic: Double
    public var successProbabilityModel: Double
    public var eta: [String: Double]
    public var visibility: Double
    public var labTimeS: Double
    public var heraldRatePerS: Double
    public var attemptRateHz: Double
    public var dutyCycle: Double
    /// One attempt's lab time, and the part of it spent waiting for the photon to reach the hub and the herald to
    /// come back to the farther node (``AttemptTiming``).
    public var attemptPeriodUs: Double
    public var heraldRoundTripUs: Double
    /// What bounds the attempt rate: `herald round trip` or `pulse sequence`.
    public var attemptLimitedBy: String
    /// Each converting node's frequency conversion, by node name (empty without conversion).
    public var conversion: [String: ConversionSummary]
    /// Conversion noise clicks per second at each detector (0 without conversion).
    public var noiseClicksPerDetectorHz: Double

    /// One node's conversion as the model has it.
    public struct ConversionSummary: Codable, Sendable {
        public var inputWavelengthNm: Double
        public var outputWavelengthNm: Double
        /// Coupling, device efficiency at the pump and crystal temperature, and filters: the photons it passes.
        public var transmission: Double
        /// Noise photons per second it sends into the node's fiber.
        public var noiseIntoFiberHz: Double
        /// Probability that it randomizes the photon's polarization.
        public var depolarization: Double
    }
    public var fidelityEstimated: Double?
    public var fidelityCi95: Double?
    public var fidelityModel: Double
    /// What the verifications should measure: the model's fidelity seen through the traps' readout error.
    public var fidelityModelAfterReadout: Double
    public var correlators: [String: Double]
    public var verificationShots: [String: Int]
    public var ionLossesDetected: Int
    public var reloads: Int
    public var latchRecoveries: Int
    public var rejectedHeralds: Int
    /// Device name → identity of every real or emulated instrument in the run (empty when all simulated).
    public var instruments: [String: String] = [:]
    public var timeS: [String: Double]
    /// The HDF5 run record's path, or nil with `--no-record`.
    public var record: String?
    /// Stopped by SIGINT/SIGTERM before its stop condition (the lab was then brought to a safe state).
    public var interrupted: Bool
    /// Attempts of bursts whose tags the tagger lost (not in `attempts`).
    public var discardedAttempts: Int64
    /// Faults recovered from, by kind: how often and the lab time they cost.
    public var faults: [String: FaultSummary]
    /// The fault that ended the run early, or nil.
    public var failure: String?
    /// What a `--faults` plan injected and what was recovered (nil without a plan).
    public var faultPlan: FaultPlanOutcome?
    /// What a bound time tagger delivered, when the attempts ran on its stream (nil otherwise).
    public var tagger: TaggerSummary?

    /// A bound tagger's part of the run: attempts counted from its syncs, its click rates, and the host's
    /// herald decision latency on its stream.
    public struct TaggerSummary: Codable, Sendable {
        public var name: String
        /// Syncs the herald engine decided on (it may have read past the run's last attempt).
        public var syncs: Int64
        /// Attempts the bursts handed out, each counted from its sync.
        public var attemptsFromSyncs: Int64
        /// Whether the sequencer's attempts (kept and discarded) equal the attempts counted from syncs.
        public var attemptsAgree: Bool
        /// Clicks per second of tag time, by channel.
        public var ratesHz: [String: Double]
        /// Tag batch read → herald decision on the host, median and 99th percentile, in microseconds.
        public var decisionLatencyP50Us: Double?
        public var decisionLatencyP99Us: Double?
        /// The bursts a bound pulse generator fired, checked against the syncs (nil for a recording).
        public var bursts: TaggerStatistics.FiredBursts?

        public init(name: String, statistics s: TaggerStatistics, attempts: Int64) {
            self.name = name
            syncs = s.syncs
            attemptsFromSyncs = s.attemptsFromSyncs
            attemptsAgree = s.attemptsFromSyncs == attempts
            ratesHz = Dictionary(uniqueKeysWithValues: s.rates.map { ("\($0.key)", $0.value) })
            decisionLatencyP50Us = s.decisionLatency.map { $0.p50.inSeconds * 1e6 }
            decisionLatencyP99Us = s.decisionLatency.map { $0.p99.inSeconds * 1e6 }
            bursts = s.bursts
        }
    }

    public struct FaultPlanOutcome: Codable, Sendable {
        public struct Injected: Codable, Sendable {
            public var atS: Double
            public var device: String
            public var fault: String
            public var what: String
        }
        public struct Recovered: Codable, Sendable {
            public var fault: String
            public var device: String
            public var noticedS: Double
            public var recoveredS: Double
        }
        public var injected: [Injected]
        public var recovered: [Recovered]
        public var loopAttempts: Int64
        public var loopHeralds: Int

        public init(log: [InjectedFault], events: [FaultEvent], loop: FaultInjectingAttemptLoop) {
            injected = log.map { Injected(atS: $0.at.inSeconds, device: $0.device, fault: $0.kind.rawValue, what: $0.what) }
            recovered = events.map { Recovered(fault: $0.kind.rawValue, device: $0.device, noticedS: $0.noticed.inSeconds,
                                               recoveredS: $0.recovered.inSeconds) }
            loopAttempts = loop.totals.attempts
            loopHeralds = loop.totals.heralds
        }
    }

    public struct FaultSummary: Codable, Sendable {
        public var count: Int
        public var timeLostS: Double
    }

    /// The summary of `r`, a run with `seed` on a lab whose configuration predicts `lab`.
    public init(result r: RunResult, model lab: LabModel, seed: UInt64) {
        let model = lab.budget.model
        self.lab = lab.config.name
        encoding = lab.config.encoding.rawValue
        self.seed = seed
        attempts = r.attempts
        heralds = r.heralds
        heraldsByState = Dictionary(uniqueKeysWithValues: BellState.allCases.map { ($0.rawValue, r.heralds(of: $0)) })
        heraldsByPattern = Dictionary(uniqueKeysWithValues: zip(HeraldPattern.all.map(\.description), r.heraldsByPattern).map { ($0, $1) })
        let p = r.successProbability
        successProbability = p
        successProbabilityStderr = r.attempts > 0 ? (p * (1 - p) / Double(r.attempts)).squareRoot() : 0
        successProbabilityAnalytic = model.analyticSuccessProbability
        successProbabilityModel = model.heraldProbability
        eta = ["A": lab.budget.chainA.total.value, "B": lab.budget.chainB.total.value]
        visibility = lab.budget.visibility.value
        labTimeS = r.time.total.inSeconds
        heraldRatePerS = r.heraldRate
        attemptRateHz = 1 / lab.attemptPeriod.inSeconds
        dutyCycle = r.time.dutyCycle
        attemptPeriodUs = lab.attemptTiming.period.inSeconds * 1e6
        heraldRoundTripUs = lab.attemptTiming.heraldRoundTrip.inSeconds * 1e6
        attemptLimitedBy = lab.attemptTiming.limit.rawValue
        var conversions: [String: ConversionSummary] = [:]
        for (node, c) in zip(lab.config.nodes, [lab.budget.conversionA, lab.budget.conversionB]) where !c.stages.isEmpty {
            conversions[node.name] = ConversionSummary(inputWavelengthNm: c.inputWavelength.si * 1e9, outputWavelengthNm: c.outputWavelength.si * 1e9,
                                                       transmission: c.transmission.value, noiseIntoFiberHz: c.noiseRate.hertz,
                                                       depolarization: c.depolarization.value)
        }
        conversion = conversions
        noiseClicksPerDetectorHz = lab.budget.noiseClickRatePerDetector.hertz
        let est = r.verification.fidelityEstimate()
        fidelityEstimated = est?.fidelity
        fidelityCi95 = est?.halfWidth
        fidelityModel = model.meanFidelity
        fidelityModelAfterReadout = lab.expectedVerifiedFidelity
        var corr: [String: Double] = [:], shots: [String: Int] = [:]
        for b in PauliBasis.allCases {
            if let c = r.verification.correlator(b) { corr[b.rawValue + b.rawValue] = c }
            shots[b.rawValue + b.rawValue] = r.verification.shots[b] ?? 0
        }
        correlators = corr
        verificationShots = shots
        ionLossesDetected = r.ionLossesDetected
        reloads = r.reloads
        latchRecoveries = r.latchRecoveries
        rejectedHeralds = r.rejectedHeralds
        interrupted = r.interrupted
        discardedAttempts = r.discardedAttempts
        faults = Dictionary(
            uniqueKeysWithValues: r.faults.map { ($0.key.rawValue, FaultSummary(count: $0.value.count, timeLostS: $0.value.timeLost.inSeconds)) })
        failure = r.failure
        timeS = ["cooling": r.time.cooling.inSeconds, "attempting": r.time.attempting.inSeconds,
                 "verifying": r.time.verifying.inSeconds, "ion_checks": r.time.ionChecks.inSeconds,
                 "loading": r.time.loading.inSeconds, "recovering": r.time.recovering.inSeconds, "discarded": r.time.discarded.inSeconds]
    }

    /// The keys whose values are dictionaries keyed by data (patterns, bases, devices, fault kinds): their
    /// keys are not property names and keep their spelling when the JSON is read back.
    static let dataKeyed: Set<String> = ["eta", "heraldsByState", "heraldsByPattern", "correlators", "verificationShots", "instruments",
                                         "timeS", "faults", "ratesHz", "conversion"]

    /// The summary a run's ``json()`` wrote (in a run record, or a served run's last update).
    public init(json: String) throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in
            let key = path[path.count - 1]
            if path.count >= 2, Self.dataKeyed.contains(path[path.count - 2].stringValue) { return key }
            return SummaryKey(camelCase: key.stringValue)
        }
        var data = Data(json.utf8)
        // A summary written before a key existed (an older run record) reads with that key's neutral value.
        if var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] {
            let missing = Self.addedKeys.filter { object[$0.key] == nil }
            if !missing.isEmpty {
                for (key, value) in missing { object[key] = value }
                data = try JSONSerialization.data(withJSONObject: object)
            }
        }
        self = try decoder.decode(RunSummary.self, from: data)
    }

    /// Keys added after run records were first written, and the value an older summary reads with.
    static var addedKeys: [String: Any] { ["attempt_period_us": 0.0, "herald_round_trip_us": 0.0, "attempt_limited_by": "unknown",
                                           "conversion": [String: Any](), "noise_clicks_per_detector_hz": 0.0] }

    /// One JSON object; a value not available (fidelity before every basis has a shot) is `null`, never a missing key.
    public func json() throws -> String {
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        var object = try JSONSerialization.jsonObject(with: enc.encode(self)) as? [String: Any] ?? [:]
        for key in ["fidelity_estimated", "fidelity_ci95", "record", "failure", "fault_plan", "tagger"] where object[key] == nil {
            object[key] = NSNull()
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The text `ionlink run` prints.
    public func text() -> String {
        func f(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)g", x) }
        var lines = [
            "lab            \(lab) (\(encoding)), seed \(seed)",
            "attempts       \(attempts)",
            "heralds        \(heralds)  (psi- \(heraldsByState["psi-"] ?? 0), psi+ \(heraldsByState["psi+"] ?? 0))",
            "  by pattern   " + heraldsByPattern.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
            "P(success)     \(f(successProbability)) ± \(f(successProbabilityStderr, 2)) per attempt",
            "  analytic     \(f(successProbabilityAnalytic))  = ½·η_A·η_B, η_A = \(f(eta["A"] ?? 0)), η_B = \(f(eta["B"] ?? 0))",
            "  exact model  \(f(successProbabilityModel))  (with dark counts, double excitation, dead time)",
            "herald rate    \(f(heraldRatePerS)) /s of lab time (\(f(labTimeS)) s; "
                + "attempt rate \(f(attemptRateHz)) Hz, duty cycle \(f(dutyCycle, 3)))",
            "  attempt      \(f(attemptPeriodUs)) µs, of which \(f(heraldRoundTripUs)) µs the herald's round trip; "
                + "the rate is bounded by the \(attemptLimitedBy)",
        ]
        if !conversion.isEmpty {
            lines.append("conversion     " + conversion.sorted { $0.key < $1.key }.map { name, c in
                "\(name) \(f(c.inputWavelengthNm)) → \(f(c.outputWavelengthNm)) nm, passes \(f(c.transmission, 3)), "
                    + "\(f(c.noiseIntoFiberHz, 3)) noise/s"
            }.joined(separator: "; ") + "; \(f(noiseClicksPerDetectorHz, 3)) noise clicks/s per detector")
        }
        if let fe = fidelityEstimated, let ci = fidelityCi95 {
            lines.append("fidelity       \(f(fe)) ± \(f(ci, 2)) (95 %, from \(verificationShots.values.reduce(0, +)) verifications: "
                + correlators.sorted { $0.key < $1.key }.map { "\($0.key) \(f($0.value, 3))" }.joined(separator: ", ") + ")")
        } else {
            lines.append("fidelity       not estimated (needs a verification in each of XX, YY, ZZ)")
        }
        lines.append("  exact model  \(f(fidelityModel)) (V = \(f(visibility))); \(f(fidelityModelAfterReadout)) as measured through the readout")
        lines.append("ion losses     \(ionLossesDetected) detected, \(reloads) reloads; latch recoveries \(latchRecoveries)")
        for (device, identity) in instruments.sorted(by: { $0.key < $1.key }) {
            lines.append("instrument     \(device): \(identity)")
        }
        if let t = tagger {
            let rates = t.ratesHz.sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }.map { "ch\($0.key) \(f($0.value, 3))" }.joined(separator: ", ")
            lines.append("tagger         \(t.name): \(t.attemptsFromSyncs) attempts from syncs"
                + (t.attemptsAgree ? " (= the bursts')" : " (the bursts counted otherwise!)") + "; clicks/s \(rates)")
            if let p50 = t.decisionLatencyP50Us, let p99 = t.decisionLatencyP99Us {
                func time(_ us: Double) -> String { us >= 1000 ? "\(f(us / 1000, 3)) ms" : "\(f(us, 3)) µs" }
                lines.append("  decision     tag batch read → herald decision on the host: p50 \(time(p50)), p99 \(time(p99))")
            }
            if let b = t.bursts {
                var line = "  bursts       \(b.fired) fired for \(b.armed) attempts: \(b.stoppedAtHerald) stopped at a herald, \(b.full) full"
                if b.unconfirmedStops > 0 { line += ", \(b.unconfirmedStops) stopped with no herald in the tags" }
                if b.attemptsAfterHerald > 0 { line += ", \(b.attemptsAfterHerald) attempts after a herald (late stop)" }
                if b.overruns > 0 { line += ", \(b.overruns) with more syncs than armed" }
                lines.append(line)
            }
        }
        if rejectedHeralds > 0 { lines.append("rejected       \(rejectedHeralds) heralds whose tags fell outside their windows") }
        if let record { lines.append("record         \(record)") }
        for (kind, tally) in faults.sorted(by: { $0.key < $1.key }) {
            lines.append("fault          \(kind): \(tally.count) recovered, \(f(tally.timeLostS)) s of lab time lost")
        }
        if discardedAttempts > 0 { lines.append("discarded      \(discardedAttempts) attempts whose tags the tagger lost") }
        if let failure { lines.append("FAILED         \(failure)") }
        if interrupted { lines.append("interrupted    by a signal before the stop condition; lab left in its safe state") }
        return lines.joined(separator: "\n")
    }
}

/// A JSON key read back as its property's name: `fidelity_ci95` → `fidelityCi95`.
struct SummaryKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(camelCase snake: String) {
        let parts = snake.split(separator: "_", omittingEmptySubsequences: false)
        stringValue = parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.prefix(1).uppercased() + $0.element.dropFirst() }
            .joined()
    }

    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
