import Foundation
import Testing

/// `hub.herald_stop`, the coincidence unit that ends a burst at a herald through the pulse generator's
/// inhibit input: a lab of instruments whose fast-loop roles do not fit together is refused when the lab is read,
/// with the key and its line and exit 2, before any port is opened (the ports here do not exist: their
/// errors would come first otherwise).
@Suite struct HeraldStopConfigTests {
    /// docs/labs/instrument-lab.yaml with `edit` applied to its text.
    func labFile(_ edit: (String) -> String) throws -> String {
        let text = try String(contentsOf: CLI.repo.appendingPathComponent("docs/labs/instrument-lab.yaml"), encoding: .utf8)
        let path = try CLI.temporaryDirectory().appendingPathComponent("lab.yaml").path
        try edit(text.replacingOccurrences(of: "\"0403:6001:EMU-PG\"", with: "/dev/ttyNOPE1")
                     .replacingOccurrences(of: "\"04d8:f8b8:EMU-TDC\"", with: "/dev/ttyNOPE2"))
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The line of the first line of `text` that contains `needle`, counted from 1.
    func line(of needle: String, in path: String) throws -> Int {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        return try #require(lines.firstIndex { $0.contains(needle) }) + 1
    }

    func refusal(_ path: String) async throws -> String {
        let r = try await CLI.ionlink(["run", "--config", path, "--heralds", "1", "--no-record"])
        #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
        #expect(!r.stderr.contains("ttyNOPE"), "nothing opened: \(r.stderr)")
        return r.stderr
    }

    @Test func aHeraldStopWithoutAPulseGeneratorIsRefused() async throws {
        let path = try labFile { $0.replacingOccurrences(of: "  hub.pulses:", with: "  # hub.pulses:")
                                  .replacingOccurrences(of: "  hub.tagger:", with: "  # hub.tagger:") }
        let stderr = try await refusal(path), at = try line(of: "herald_stop:", in: path)
        #expect(stderr.contains("hub.herald_stop") && stderr.contains("line \(at)")
                && stderr.contains("hub.pulses"), "\(stderr)")
    }

    /// With nothing bound the simulated attempt loop is the herald stop: the lab runs.
    @Test func aSimulatedLabKeepsItsHeraldStop() async throws {
        let path = try labFile { String($0[..<$0.range(of: "\ndevices:")!.lowerBound]) + "\n" }
        let r = try await CLI.ionlink(["run", "--config", path, "--heralds", "5", "--no-record"])
        #expect(r.status == 0 && r.stdout.contains("heralds        5"), "\(r.stdout)\(r.stderr)")
    }

    @Test func aLiveTaggerWithoutAHeraldStopIsRefused() async throws {
        let path = try labFile { $0.replacingOccurrences(of: "  herald_stop:", with: "  # herald_stop:") }
        let stderr = try await refusal(path), at = try line(of: "  hub.tagger:", in: path)
        #expect(stderr.contains("devices.hub.tagger") && stderr.contains("line \(at)")
                && stderr.contains("hub.herald_stop"), "\(stderr)")
    }

    @Test func aLiveTaggerWithoutAPulseGeneratorIsRefused() async throws {
        let path = try labFile { $0.replacingOccurrences(of: "  hub.pulses:", with: "  # hub.pulses:")
                                  .replacingOccurrences(of: "  herald_stop:", with: "  # herald_stop:") }
        let stderr = try await refusal(path)
        #expect(stderr.contains("devices.hub.tagger") && stderr.contains("hub.pulses"), "\(stderr)")
    }

    /// The TDC1 has four inputs: a sync on a fifth is refused with the tagger's binding, before the lasers
    /// bound above it are opened.
    @Test func aTaggerWhoseInputsCannotTakeTheLabsChannelsIsRefused() async throws {
        let path = try labFile { $0.replacingOccurrences(of: "sync_channel: 2", with: "sync_channel: 5") }
        let stderr = try await refusal(path), at = try line(of: "  hub.tagger:", in: path)
        #expect(stderr.contains("devices.hub.tagger") && stderr.contains("line \(at)") && stderr.contains("0…3")
                && stderr.contains("sync_channel 5") && !stderr.contains("EMU-"), "\(stderr)")
    }

    /// A unit set to stop on ψ⁻ only would let a ψ⁺ herald's state be overwritten by the next excitation.
    @Test(arguments: ["psi-", "psi-, psi-, psi+", "phi+"]) func aHeraldStopMissingABellStateIsRefused(_ states: String) async throws {
        let path = try labFile { $0.replacingOccurrences(of: "stops_on: \"psi-, psi+\"", with: "stops_on: \"\(states)\"") }
        let stderr = try await refusal(path), at = try line(of: "herald_stop:", in: path)
        #expect(stderr.contains("hub.herald_stop.stops_on") && stderr.contains("line \(at)"), "\(stderr)")
    }
}
