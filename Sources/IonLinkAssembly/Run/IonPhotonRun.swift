import Foundation
import IonLink
import IonLinkPhysics
import IonLinkSequencer
import IonLinkSimulation

/// A simulated run of an ion–photon link (`link.kind: ion_photon`): attempts of N modes, each waiting for the photon's
/// way to the hub and the herald's way back, in bursts between coolings; every herald is followed by tomography of the
/// heralded ion–photon pair in one of Z, X, Y (in turn), the ion read out with the trap's readout fidelity and the
/// photon by the click itself.
///
/// Attempts are not drawn one by one: the failures before the next herald are drawn from the geometric distribution
/// (``SeededGenerator/geometricFailures(logOneMinusP:)``) and the lab time they take is counted with their coolings, so a
/// run's cost grows with heralds, not attempts. Time comes from the run's own clock (lab time), randomness from the seed.
public struct IonPhotonRun: Sendable {
    public let lab: IonPhotonLabModel
    public let seed: UInt64

    public init(lab: IonPhotonLabModel, seed: UInt64) {
        self.lab = lab
        self.seed = seed
    }

    /// Runs until `stop` (attempts, heralds or lab time; a link that cannot herald stops at once unless attempts or lab
    /// time bound it).
    public func run(until stop: StopCondition) -> IonPhotonRunResult {
        var r = IonPhotonRunResult()
        var rng = SeededGenerator(seed: seed)
        let p = lab.model.heraldProbability
        guard p > 0 || stop.attempts != nil || stop.labTime != nil else { return r }
        let logMiss = p > 0 ? log1p(-min(p, 1 - 1e-16)) : 0
        let state = lab.model.state
        let readout = lab.config.nodes[0].trap.readoutFidelity.value
        let period = lab.attemptPeriod.inPicoseconds, cool = lab.config.timing.cool.inPicoseconds
        let perCool = Int64(lab.config.timing.effectiveAttemptsPerCool)
        let readoutTime = lab.config.nodes[0].trap.readoutDuration.inPicoseconds
        /// Lab time of n attempts from a fresh burst: n periods and a cooling before every perCool of them (saturating:
        /// `--attempts` may ask for more lab time than picoseconds in an Int64).
        func cost(_ n: Int64) -> Int64 {
            let (attempting, o1) = n.multipliedReportingOverflow(by: period)
            let (cooling, o2) = (n / perCool + (n % perCool == 0 ? 0 : 1)).multipliedReportingOverflow(by: cool)
            let (sum, o3) = attempting.addingReportingOverflow(cooling)
            return o1 || o2 || o3 ? .max : sum
        }
        func later(_ t: Int64, _ d: Int64) -> Int64 { t.addingReportingOverflow(d).overflow ? .max : t + d }
        /// The most attempts whose lab time fits in `left`: whole bursts (a cooling and perCool periods each), then as many
        /// periods of one more burst as fit after its cooling.
        func fitting(_ left: Int64) -> Int64 {
            guard left > 0 else { return 0 }
            let burst = cost(perCool)
            let full = left / max(burst, 1), rest = left - full * burst
            let extra = rest >= cool + period ? min(perCool - 1, (rest - cool) / max(period, 1)) : 0
            return full.multipliedReportingOverflow(by: perCool).overflow ? .max : full * perCool + extra
        }
        var now: Int64 = 0
        while true {
            if let h = stop.heralds, r.heralds >= h { break }
            var limit = Int64.max
            if let a = stop.attempts { limit = a - r.attempts }
            if let t = stop.labTime {
                limit = min(limit, fitting(t.inPicoseconds - now))
            }
            if limit <= 0 { break }
            let failures = p > 0 ? rng.geometricFailures(logOneMinusP: logMiss) : .max
            // Only heralds bound the run, and the next is further off than any lab runs (P below about 1e-18): stop.
            if limit == .max && failures == .max { break }
            guard failures < limit else {
                r.attempts += limit
                now = later(now, cost(limit))
                break
            }
            r.attempts += failures + 1
            now = later(later(now, cost(failures + 1)), readoutTime)
            r.heralds += 1
            record(&r, state: state, readout: readout, rng: &rng)
        }
        r.labTime = .picoseconds(now)
        let (attempting, overflow) = r.attempts.multipliedReportingOverflow(by: period)
        r.attemptingTime = .picoseconds(overflow ? .max : attempting)
        return r
    }

    /// Tomography of one heralded pair in the next basis: the joint outcome drawn from the state, the ion's flipped with
    /// probability 1 − f.
    private func record(_ r: inout IonPhotonRunResult, state: DensityMatrix4, readout: Double, rng: inout SeededGenerator) {
        let basis = [PauliBasis.z, .x, .y][(r.heralds - 1) % 3]
        var u = rng.nextUnit(), outcome = (0, 0)
        search: for a in 0..<2 {
            for b in 0..<2 {
                let q = state.jointProbability(basis, outcomeA: a, outcomeB: b)
                outcome = (a, b)
                if u < q { break search }
                u -= q
            }
        }
        var ion = outcome.0 == 0 ? 1 : -1
        if rng.nextUnit() >= readout { ion = -ion }
        r.tally.record(basis: basis, state: .psiPlus, eigenvalueA: ion, eigenvalueB: outcome.1 == 0 ? 1 : -1)
    }
}

/// What an ion–photon run counted.
public struct IonPhotonRunResult: Sendable, Hashable {
    public var attempts: Int64 = 0
    public var heralds = 0
    /// All lab time: attempts, coolings and readouts.
    public var labTime: Duration = .zero
    /// The attempts' time alone.
    public var attemptingTime: Duration = .zero
    /// Tomography of the heralded pairs (ion as qubit A, photon as B), aligned to ψ⁺.
    public var tally = VerificationTally()

    public init() {}

    /// Heralds per attempt.
    public var heraldProbability: Double { attempts > 0 ? Double(heralds) / Double(attempts) : 0 }

    /// Its binomial standard error.
    public var heraldProbabilityError: Double {
        guard attempts > 0 else { return 0 }
        let p = heraldProbability
        return (max(p * (1 - p), 1 / Double(attempts)) / Double(attempts)).squareRoot()
    }

    /// Heralds per second of lab time.
    public var heraldRate: Double { labTime > .zero ? Double(heralds) / labTime.inSeconds : 0 }

    /// Heralds per second of attempting (coolings and readouts aside): the rate papers quote as P/T.
    public var heraldRateWhileAttempting: Double { attemptingTime > .zero ? Double(heralds) / attemptingTime.inSeconds : 0 }
}
