import Foundation
import IonLink
import IonLinkTags
import Testing

/// `ionlink replay` with arguments that used to crash it (exit 132/134: a reversed or empty window, a
/// zero or negative bin or range, a histogram of 10¹² bins, times of 10³⁰⁰ ns): each is now a usage
/// error naming the flag, and the process exits normally.
@Suite struct ReplayArgumentTests {
    /// A small T2 file: a sync every 1 µs and clicks on inputs 1 and 2.
    static let file: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("replay-args-\(getpid()).ptu").path
        let tags = (0..<200).flatMap { i -> [TimeTag] in
            let t = Int64(i) * 1_000_000
            return [TimeTag(channel: 0, picoseconds: t), TimeTag(channel: 1, picoseconds: t + 7_000 + Int64(i % 7)),
                    TimeTag(channel: 2, picoseconds: t + 9_000)]
        }
        _ = FileManager.default.createFile(atPath: path, contents: Data(PTUFile.writeT2(tags)))
        return path
    }()

    @Test(arguments: [
        (["--window", "20ns..5ns"], "--window"),
        (["--window", "5ns..5ns"], "--window"),
        (["--g2", "1,2", "--bin", "0ns"], "--bin"),
        (["--g2", "1,2", "--bin=-1ns"], "--bin"),
        (["--g2", "1,2", "--range", "0ns"], "--range"),
        (["--g2", "1,2", "--bin", "1ps", "--range", "1s"], "bins"),
        (["--offset", "2=1e300ns"], "longer than a day"),
        (["--window", "0ns..1e300ns"], "longer than a day"),
        (["--window", "0ns..nanns"], "not a time"),
        (["--sync=-3"], "--sync"),
        (["--sync", "2000000000"], "--sync"),
        (["--pattern", "x=1,2000000000"], "0…127"),
        (["--offset", "2000000000=1ns"], "0…127"),
        (["--threads", "0"], "--threads"),
    ])
    func badArgumentsAreUsageErrors(_ arguments: [String], _ mention: String) async throws {
        let out = try await CLI.ionlink(["replay", Self.file] + arguments)
        #expect(out.status == 2, "a usage error (exit 2), not a crash: \(arguments) → \(out.status)")
        #expect(out.stderr.contains(mention), "\(arguments): \(out.stderr)")
    }

    /// Issue 16, item 7: inputs that would count 0 and look like an answer are refused, naming the inputs the
    /// file has and the lab YAML's numbering (detector channel c is input c + 1), the usual slip.
    @Test(arguments: [
        (["--pattern", "psi-=0,1"], "the sync"),
        (["--pattern", "psi-=1,5"], "input 5, which has no tags"),
        (["--g2", "1,3"], "input 3, which has no tags"),
        (["--offset", "4=1ns"], "input 4, which has no tags"),
    ])
    func inputsTheFileDoesNotHaveAreRefused(_ arguments: [String], _ mention: String) async throws {
        let out = try await CLI.ionlink(["replay", Self.file] + arguments)
        #expect(out.status == 2, "\(arguments) → \(out.status): \(out.stdout)")
        #expect(out.stderr.contains(mention) && out.stderr.contains("detector inputs with tags: 1, 2 (sync 0)")
                && out.stderr.contains("input c + 1"), "\(arguments): \(out.stderr)")
    }

    @Test func theSameFileReplaysWithSaneArguments() async throws {
        let out = try await CLI.ionlink(["replay", Self.file, "--g2", "1,2", "--bin", "1ns", "--range", "100ns", "--window", "0ns..20ns"])
        #expect(out.status == 0, "\(out.stderr)")
    }
}
