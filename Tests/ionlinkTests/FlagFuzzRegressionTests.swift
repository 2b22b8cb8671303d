import Foundation
import Testing

/// Every command line the flag fuzzer (`Fuzz/fuzz_flags.py`) once crashed (SIGILL on an Int64 overflow of
/// a duration or a pace, SIGABRT on a network of 2⁶³ traps, a port past 65535), kept in
/// `Fuzz/corpus/flags/`: each now exits 2 with a message, or runs to its end, as a child process that must survive.
@Suite struct FlagFuzzRegressionTests {
    static let corpus = CLI.repo.appendingPathComponent("Fuzz/corpus/flags")

    struct Case: Decodable { var argv: [String] }

    @Test func everyRecordedCrashNowEndsNormally() async throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.corpus, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
        #expect(!files.isEmpty)
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try TestTokens().write(to: dir)
        for file in files {
            let c = try JSONDecoder().decode(Case.self, from: Data(contentsOf: file))
            let out = try await CLI.run(CLI.ionlink, c.argv, in: dir)
            // Refused (exit 2, saying why), or — a network whose links almost never herald — simply run.
            #expect(out.status == 2 || out.status == 0,
                    "\(file.lastPathComponent): ionlink \(c.argv.joined(separator: " ")) → \(out.status): \(out.stderr.suffix(300))")
            #expect(out.status == 0 || !out.stderr.isEmpty, "\(c.argv): says why")
        }
    }
}
