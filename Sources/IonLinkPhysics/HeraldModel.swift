import IonLink

/// What one node contributes to an attempt, at the level of detected photons.
public struct NodeEmission: Sendable, Hashable {
    /// Probability that the ion is excited and emits its qubit photon.
    public var excitation: Probability
    /// Probability, given excitation, of a second (re-)excitation that emits an extra photon
    /// carrying no entanglement with the ion.
    public var doubleExcitation: Probability
    /// Probability that one emitted photon gives an in-window click (the chain without excitation).
    public var perPhoton: Probability
    /// Probability that the photon's qubit is randomized on its way (a depolarizing channel, e.g. an imperfectly
    /// polarization-preserving frequency converter). Because the ion–photon state is maximally entangled,
    /// (1 ⊗ P)|Φ⟩ = (Pᵀ ⊗ 1)|Φ⟩ for every Pauli P: the channel on the photon acts as the same channel on the ion,
    /// whatever the detectors then do, and leaves every click probability unchanged.
    public var depolarization: Probability

    public init(excitation: Probability, doubleExcitation: Probability, perPhoton: Probability, depolarization: Probability = .zero) {
        self.depolarization = depolarization
        self.excitation = excitation
        self.doubleExcitation = doubleExcitation
        self.perPhoton = perPhoton
    }

    /// A node that emits nothing (ion lost, laser off).
    public static let dark = NodeEmission(excitation: .zero, doubleExcitation: .zero, perPhoton: .zero)
}

/// Per-pattern herald probabilities and heralded states of one attempt, computed exactly.
///
/// Every way an attempt can end is enumerated: for each node whether its qubit photon and its
/// double-excitation photon were detected; where both qubit photons arrive, the beam splitter's
/// two-photon interference with overlap V; where one arrives, the projection of its ion; where none,
/// a maximally mixed ion; then independent dark counts on every click slot. Detectors do not resolve
/// photon number, so a pattern heralds when exactly its two slots click. The heralded state of a
/// pattern is the sum of every contribution's unnormalised ion state (its trace is the probability).
/// A node that did not emit leaves its ion modelled as maximally mixed.
///
/// Two-photon terms (derived from the beam-splitter transformation, as in the shared physics notes):
/// ion amplitudes ½ on |jk⟩; A→c, A→d, B→c with +1/√2 and B→d with −1/√2. For j ≠ k the slots
/// {(o₁,0),(o₂,1)} get probability 1/8 and coherence ±V/16 (+ for o₁ = o₂: ψ⁺, − otherwise: ψ⁻);
/// for j = k = m both photons leave by one output with probability (1+V)/4 each and split with
/// (1−V)/2 (Hong–Ou–Mandel), leaving |mm⟩.
public struct HeraldModel: Sendable {
    public let nodeA: NodeEmission
    public let nodeB: NodeEmission
    /// Two-photon interference visibility V.
    public let visibility: Probability
    /// Probability of a dark (or afterpulse) click in one slot's window.
    public let darkClickPerSlot: Probability
    /// Whether ψ⁺ patterns can be seen (time-bin ψ⁺ needs the detector to recover between bins).
    public let psiPlusVisible: Bool

    /// Unnormalised heralded state per pattern, in ``HeraldPattern/all`` order.
    public let heraldedStates: [DensityMatrix4]
    /// Probability of each pattern per attempt.
    public let patternProbabilities: [Double]

    public init(nodeA: NodeEmission, nodeB: NodeEmission, visibility: Probability,
                darkClickPerSlot: Probability, psiPlusVisible: Bool = true) {
        self.nodeA = nodeA
        self.nodeB = nodeB
        self.visibility = visibility
        self.darkClickPerSlot = darkClickPerSlot
        self.psiPlusVisible = psiPlusVisible
        let states = HeraldModel.enumerate(nodeA, nodeB, visibility.value, darkClickPerSlot.value, psiPlusVisible).map {
            $0.depolarized(qubit: 0, probability: nodeA.depolarization.value).depolarized(qubit: 1, probability: nodeB.depolarization.value)
        }
        heraldedStates = states
        patternProbabilities = states.map(\.trace)
    }

    /// Probability that an attempt heralds on any pattern.
    public var heraldProbability: Double { patternProbabilities.reduce(0, +) }

    /// ½·η_A·η_B: the ideal linear-optics value (no dark counts or double excitation).
    public var analyticSuccessProbability: Double {
        let ea = nodeA.excitation.value * nodeA.perPhoton.value
        let eb = nodeB.excitation.value * nodeB.perPhoton.value
        return (psiPlusVisible ? 0.5 : 0.25) * ea * eb
    }

    /// The heralded state of a pattern, normalised.
    public func state(for patternIndex: Int) -> DensityMatrix4 { heraldedStates[patternIndex].normalized }

    /// The exact mean fidelity of heralded states with their target Bell states.
    public var meanFidelity: Double {
        var num = 0.0
        for (i, p) in HeraldPattern.all.enumerated() {
            num += heraldedStates[i].expectation(ofPure: p.state.amplitudes)
        }
        let total = heraldProbability
        return total > 0 ? num / total : 0
    }

    // MARK: - Enumeration

    /// One way the photons can click: the set of slots (bit mask) and the unnormalised ion state.
    struct Branch {
        var mask: Int
        var state: DensityMatrix4
    }

    static func enumerate(_ a: NodeEmission, _ b: NodeEmission, _ v: Double, _ pd: Double,
                          _ psiPlusVisible: Bool) -> [DensityMatrix4] {
        var result = Array(repeating: DensityMatrix4(), count: HeraldPattern.all.count)
        for ga in 0...1 { for xa in 0...1 { for gb in 0...1 { for xb in 0...1 {
            let w = nodeWeight(a, good: ga, extra: xa) * nodeWeight(b, good: gb, extra: xb)
            if w == 0 { continue }
            var branches = qubitPhotonBranches(goodA: ga == 1, goodB: gb == 1, visibility: v)
            for _ in 0..<(xa + xb) { branches = addRandomPhoton(branches) }
            for br in branches {
                for (i, p) in HeraldPattern.all.enumerated() {
                    if p.state == .psiPlus && !psiPlusVisible { continue }
                    let target = p.slotMask
                    if br.mask & ~target != 0 { continue }
                    let missing = (target & ~br.mask).nonzeroBitCount
                    var f = 1.0
                    for _ in 0..<missing { f *= pd }
                    f *= (1 - pd) * (1 - pd)   // the two slots outside the pattern stay silent
                    if f == 0 { continue }
                    result[i] = result[i] + (w * f) * br.state
                }
            }
        }}}}
        return result
    }

    /// P(qubit photon detected = good, extra photon detected = extra) for one node.
    static func nodeWeight(_ n: NodeEmission, good: Int, extra: Int) -> Double {
        let e = n.excitation.value, eta = n.perPhoton.value, p2 = n.doubleExcitation.value
        let pg = good == 1 ? eta : 1 - eta
        let px = extra == 1 ? p2 * eta : 1 - p2 * eta
        let excited = e * pg * px
        let notExcited = (good == 0 && extra == 0) ? 1 - e : 0
        return excited + notExcited
    }

    static func qubitPhotonBranches(goodA: Bool, goodB: Bool, visibility v: Double) -> [Branch] {
        let mixed = (0.5, 0.5)
        func slot(_ o: Int, _ m: Int) -> Int { 1 << (2 * o + m) }
        switch (goodA, goodB) {
        case (false, false):
            return [Branch(mask: 0, state: DensityMatrix4.maximallyMixed)]
        case (true, false), (false, true):
            var out: [Branch] = []
            for o in 0..<2 {
                for m in 0..<2 {
                    let ion = m == 0 ? (1.0, 0.0) : (0.0, 1.0)
                    let st = goodA ? DensityMatrix4.product(ion, mixed) : DensityMatrix4.product(mixed, ion)
                    out.append(Branch(mask: slot(o, m), state: 0.25 * st))
                }
            }
            return out
        case (true, true):
            var out: [Branch] = []
            // j ≠ k: orthogonal modes, slots (o1, mode 0) and (o2, mode 1).
            for o1 in 0..<2 {
                for o2 in 0..<2 {
                    var st = DensityMatrix4()
                    st[1, 1] = .init(1.0 / 16)
                    st[2, 2] = .init(1.0 / 16)
                    let sign: Double = o1 == o2 ? 1 : -1
                    st[1, 2] = .init(sign * v / 16)
                    st[2, 1] = .init(sign * v / 16)
                    out.append(Branch(mask: slot(o1, 0) | slot(o2, 1), state: st))
                }
            }
            // j = k = m: Hong–Ou–Mandel bunching with visibility v.
            for m in 0..<2 {
                let idx = m == 0 ? 0 : 3
                var ion = DensityMatrix4()
                ion[idx, idx] = .init(1)
                out.append(Branch(mask: slot(0, m), state: (0.25 * (1 + v) / 4) * ion))
                out.append(Branch(mask: slot(1, m), state: (0.25 * (1 + v) / 4) * ion))
                out.append(Branch(mask: slot(0, m) | slot(1, m), state: (0.25 * (1 - v) / 2) * ion))
            }
            return out
        }
    }

    /// Adds one detected photon in a uniformly random slot, uncorrelated with the ions.
    static func addRandomPhoton(_ branches: [Branch]) -> [Branch] {
        var out: [Branch] = []
        out.reserveCapacity(branches.count * 4)
        for br in branches {
            for s in 0..<4 { out.append(Branch(mask: br.mask | (1 << s), state: 0.25 * br.state)) }
        }
        return out
    }
}
