import Foundation
import Testing
import IonLink
import IonLinkPhysics
@testable import IonLinkMocks

/// The emulated world follows the other instruments' settings, made over their own wire protocols: an
/// excitation laser's emitted power sets its ion's excitation (Rabi), a SIM928's bias makes its SNSPD
/// live, and a bias past the switching current latches it. Commands go straight into the emulators.
// Serialized: each test draws about a million attempts synchronously, and the suite's other tests (gRPC
// servers among them) need the cooperative pool's two threads.
@Suite(.serialized) struct EmulatedWorldPhysicsTests {
    /// docs/labs/instrument-lab.yaml without its `devices:` (the world is given the bindings by hand).
    func lab() throws -> LabConfig {
        let text = try String(contentsOf: CLI.repo.appendingPathComponent("docs/labs/instrument-lab.yaml"), encoding: .utf8)
        let cut = try #require(text.range(of: "\ndevices:"))
        return try LabConfig.parse(yaml: String(text[..<cut.lowerBound]) + "\n", speciesKeys: Species.presets.keys.sorted())
    }

    func binding(_ role: String, _ c: LabConfig) throws -> DeviceBinding {
        DeviceBinding(role: try #require(Role(role, nodeNames: c.nodes.map(\.name))), model: "x", port: "x", line: 1)
    }

    /// Heralds per attempt over `bursts` bursts of 2000 attempts (no herald stop), and the attempts.
    func heralds(_ world: EmulatedWorld, bursts: Int = 300) -> (heralds: Int64, attempts: Int64) {
        let before = world.tally
        for _ in 0..<bursts { world.fired(FiredBurst(count: 2000, periodPicoseconds: 750_000, inhibitEnabled: false)) }
        _ = world.acquire(picoseconds: 1 << 50)
        return (world.tally.heralds - before.heralds, world.tally.attempts - before.attempts)
    }

    func send(_ e: any InstrumentEmulator, _ line: String) { _ = e.receive(Array((line + "\r\n").utf8)) }

    /// Within 4σ of the binomial at probability `p`.
    func agrees(_ r: (heralds: Int64, attempts: Int64), _ p: Double) -> Bool {
        abs(Double(r.heralds) - p * Double(r.attempts)) < 4 * (p * Double(r.attempts)).squareRoot() + 1
    }

    @Test func anExcitationLasersPowerSetsTheExcitation() throws {
        let c = try lab()
        let world = try EmulatedWorld(config: c, seed: 11)
        let a = CoherentOBISEmulator(), b = CoherentOBISEmulator()
        let bindA = try binding("A.excitation", c), bindB = try binding("B.excitation", c)
        #expect(world.attach(a, serving: bindA) && world.attach(b, serving: bindB))
        // Both lasers off: nothing emits, nothing heralds.
        #expect(heralds(world, bursts: 100).heralds == 0)
        for e in [a, b] {
            send(e, "SOUR:POW:LEV:IMM:AMPL 0.002")   // the lab's power_mw: 2
            send(e, "SOUR:AM:STAT ON")
        }
        let p0 = world.model.budget.model.heraldProbability
        let on = heralds(world)
        #expect(agrees(on, p0), "\(on) at the configured power, model P \(p0)")
        // A quarter of the power: the pulse area halves; P follows the model built at the Rabi probability.
        send(a, "SOUR:POW:LEV:IMM:AMPL 0.0005")
        var changed = c
        changed.nodes[0].excitationProbability = rabiExcitationProbability(power: .milliwatts(0.5), reference: c.nodes[0].excitation.power,
                                                                           referenceProbability: c.nodes[0].excitationProbability)
        let pQuarter = try LabModel(config: changed).budget.model.heraldProbability
        #expect(pQuarter < 0.6 * p0)
        let quarter = heralds(world)
        #expect(agrees(quarter, pQuarter), "\(quarter) at a quarter of the power, model P \(pQuarter)")
        // Emission off at A: only B's photons (and their double excitations) remain; no two-photon heralds.
        send(a, "SOUR:AM:STAT OFF")
        let off = heralds(world)
        #expect(Double(off.heralds) < 0.05 * Double(on.heralds), "\(off) with A's excitation off")
    }

    @Test func theSIM928sBiasMakesTheDetectorsLiveAndPastSwitchingLatchesThem() throws {
        let c = try lab()
        let world = try EmulatedWorld(config: c, seed: 12)
        let rack = SIM900Emulator.snspdBiasRack(circuits: (0..<4).map { _ in SNSPDCircuit() })
        let bias = try binding("hub.detector_bias", c)
        #expect(world.attach(rack, serving: bias))
        // Unbiased wires detect nothing.
        #expect(heralds(world, bursts: 100).heralds == 0)
        // 1.2 V across 100 kΩ: 12 µA, below the lab's 14 µA switching current.
        for port in [1, 2] {
            send(rack, "SNDT \(port),\"VOLT 1.2\"")
            send(rack, "SNDT \(port),\"OPON\"")
        }
        let p0 = world.model.budget.model.heraldProbability
        let live = heralds(world)
        #expect(agrees(live, p0), "\(live), model P \(p0)")
        // 1.5 V: 15 µA, past switching: the wire on channel 1 (slots d0, d1) latches. Only ψ⁺[c0·c1], early
        // and late on the other detector, can herald.
        send(rack, "SNDT 2,\"VOLT 1.5\"")
        var before = world.tally.heraldsByPattern
        _ = heralds(world)
        var made = zip(world.tally.heraldsByPattern, before).map { $0 - $1 }
        #expect(made[0] == 0 && made[1] == 0 && made[3] == 0 && made[2] > 0, "\(made)")
        // Back to 12 µA it stays latched (above the retrapping current); off and on again it recovers.
        send(rack, "SNDT 2,\"VOLT 1.2\"")
        before = world.tally.heraldsByPattern
        _ = heralds(world, bursts: 200)
        made = zip(world.tally.heraldsByPattern, before).map { $0 - $1 }
        #expect(made[0] == 0 && made[1] == 0 && made[3] == 0, "\(made)")
        send(rack, "SNDT 2,\"OPOF\"")
        send(rack, "SNDT 2,\"OPON\"")
        #expect(agrees(heralds(world), p0))
    }

    /// Below the lab's bias the wire on channel 0 (slots c0, c1) detects less, along the lab's curve
    /// (`efficiency_inflection_ua` 9, width 1): at 9 µA it has half its plateau, so each pattern it clicks in
    /// is scaled by η(9 µA)/η(12 µA) once per click there.
    @Test func theSIM928sBiasSetsTheDetectorsEfficiencyAlongTheLabsCurve() throws {
        let c = try lab()
        let detector = c.hub.detector
        let curve = try #require(detector.efficiencyCurve)
        #expect(curve.inflection == .microamperes(9))
        let world = try EmulatedWorld(config: c, seed: 14)
        let rack = SIM900Emulator.snspdBiasRack(circuits: (0..<4).map { _ in SNSPDCircuit() })
        #expect(world.attach(rack, serving: try binding("hub.detector_bias", c)))
        for port in [1, 2] {
            send(rack, "SNDT \(port),\"VOLT 1.2\"")
            send(rack, "SNDT \(port),\"OPON\"")
        }
        send(rack, "SNDT 1,\"VOLT 0.9\"")
        let scale = detector.efficiency(atBias: .microamperes(9)) / detector.spec.efficiency.value
        #expect(abs(scale - 0.5 / DetectorConfig.saturation(.microamperes(12), inflection: curve.inflection, width: curve.width)) < 1e-12)
        let layout = world.model.slotLayout
        let expected = zip(HeraldPattern.all, world.model.budget.model.patternProbabilities).map { pattern, p in
            [pattern.first.index, pattern.second.index].reduce(p) { $0 * (layout.channelOfSlot[$1] == 0 ? scale : 1) }
        }
        let before = world.tally.heraldsByPattern
        let r = heralds(world, bursts: 600)
        let made = zip(world.tally.heraldsByPattern, before).map { $0 - $1 }
        #expect(agrees(r, expected.reduce(0, +)), "\(r), expected P \(expected.reduce(0, +)) of \(world.model.budget.model.heraldProbability)")
        for k in 0..<4 {
            #expect(agrees((made[k], r.attempts), expected[k]), "pattern \(HeraldPattern.all[k]): \(made[k]) of \(r.attempts), P \(expected[k])")
        }
    }

    /// A laser serving cooling does not touch the excitation, and an unbound one is not attached.
    @Test func coolingLasersAndUnboundEmulatorsAreLeftAlone() throws {
        let c = try lab()
        let world = try EmulatedWorld(config: c, seed: 13)
        let cooling = try binding("A.cooling", c)
        #expect(!world.attach(CoherentOBISEmulator(), serving: cooling))
        #expect(!world.attach(CoherentOBISEmulator()))
        #expect(agrees(heralds(world), world.model.budget.model.heraldProbability))
    }
}
