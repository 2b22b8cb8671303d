import Foundation
import Logging
import Numerics
import Testing
import IonLink
import IonLinkAssembly
import IonLinkPhysics
@testable import IonLinkMocks

/// The verification readout through instruments: each node's qubit drive (a SynthHD channel) arms the
/// analysis pulse, each node's TDC1 counts its ion's fluorescence, and the count is thresholded. Checked
/// on product states whose every outcome is known, so a wrong phase, axis or sign anywhere on the path
/// (driver, wire, emulator, world) shows.
@Suite(.serialized) struct EmulatedReadoutTests {
    let logger = Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }
    typealias C = Complex<Double>

    func lab(replacing tag: String) throws -> LabConfig {
        let text = try String(contentsOf: CLI.repo.appendingPathComponent("docs/labs/instrument-lab.yaml"), encoding: .utf8)
        return try LabBuilder(logger: logger).parse(yaml: text.replacingOccurrences(of: ":EMU-", with: ":\(tag)-"))
    }

    /// |a⟩ ⊗ |b⟩ as a density matrix.
    func product(_ a: [C], _ b: [C]) -> DensityMatrix4 {
        DensityMatrix4(pure: [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]])
    }

    let r = 1 / 2.0.squareRoot()
    var plusX: [C] { [C(r, 0), C(r, 0)] }
    var zero: [C] { [C(1, 0), C(0, 0)] }

    /// The world alone: a counter gate over an ion in |+x⟩ counts bright after a 270° pulse (X), dark
    /// after a 90° one (−X), either way after a 0° one (Y); an ion in |0⟩ with the drive off counts bright.
    @Test func theWorldsCountsFollowTheDrivesPhase() throws {
        let world = try EmulatedWorld(config: try lab(replacing: "W"), seed: 9)
        let threshold = 10, gate: Int64 = 1_000_000_000
        func bright(node: Int, phase: Angle?) -> Bool {
            world.world.withState { $0.ionPairState = product(plusX, zero) }
            world.setQubitDrive(node: node, phase: phase)
            let counter = EmulatedWorld.TaggerInputs(world: world, sees: .readout(node: node, input: 1))
            return counter.acquire(picoseconds: gate).count >= threshold
        }
        #expect((0..<200).allSatisfy { _ in bright(node: 0, phase: .degrees(270)) })
        #expect((0..<200).allSatisfy { _ in !bright(node: 0, phase: .degrees(90)) })
        #expect((0..<200).allSatisfy { _ in bright(node: 1, phase: nil) })
        let y = (0..<400).filter { _ in bright(node: 0, phase: .degrees(0)) }.count
        #expect((140...260).contains(y), "Y on |+x⟩ is even: \(y)/400 bright")
        #expect(world.tally.readouts == [800, 200])
    }

    /// Through the drivers, libserialport and umockdev: the trap's `measureQubit` on the whole emulated
    /// instrument lab sets the SynthHD's phase and output and counts on the node's TDC1.
    @Test func measureQubitThroughTheDriveAndTheCounter() async throws {
        let c = try lab(replacing: "RO")
        let lab = try EmulatedLab(config: c, seed: 41, testbed: try VirtualSerialTestbed.shared(), firstUSBAddress: 80)
        let assembled = try await LabBuilder(logger: logger).build(c, seed: 41)
        let a = assembled.lab.nodes[0].trap, b = assembled.lab.nodes[1].trap
        #expect(a is TrapControllerWithReadout && b is TrapControllerWithReadout)
        var yPlus = 0
        for _ in 0..<40 {
            lab.world.world.withState { $0.ionPairState = product(plusX, zero) }
            #expect(try await a.measureQubit(in: .x) == 1)
            #expect(try await b.measureQubit(in: .z) == 1)
            lab.world.world.withState { $0.ionPairState = product(plusX, zero) }
            if try await a.measureQubit(in: .y) == 1 { yPlus += 1 }
        }
        #expect((8...32).contains(yPlus), "Y on |+x⟩ is even: \(yPlus)/40")
        // A Bell state: ψ⁻ anticorrelated in every basis.
        let psiMinus = DensityMatrix4(pure: [.zero, C(r, 0), C(-r, 0), .zero])
        for basis in PauliBasis.allCases {
            for _ in 0..<10 {
                lab.world.world.withState { $0.ionPairState = psiMinus }
                let ea = try await a.measureQubit(in: basis), eb = try await b.measureQubit(in: basis)
                #expect(ea * eb == -1, "ψ⁻ in \(basis)")
            }
        }
        withExtendedLifetime(lab) {}
    }
}
