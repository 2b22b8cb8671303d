import Foundation
import IonLink
import IonLinkTags
import Testing

/// `ionlink replay` streams: on a file whose tags alone would take 128 MB in memory (8 M records, 32 MB;
/// the whole-file reader peaked at about five times the file's size), its peak resident size stays
/// under 64 MB, and it finds exactly the heralds the whole-file reader finds on one block of it. The
/// replay runs on one thread and niced: the suite's hardware-in-the-loop tests, running beside it, wait
/// on emulators with short timeouts.
@Suite struct ReplayMemoryTests {
    /// One overflow period (33.554432 µs) of a heralding stream: a sync every 1 µs; ψ⁻ on inputs 1+4 in
    /// periods 0, 4, 8…, on 3+2 in periods 2, 6…; input 1 alone in periods 1, 5…; then one overflow record.
    static let block: [UInt32] = {
        var records: [UInt32] = []
        for k in 0..<33 {
            let s = UInt32(k * 1_000_000)
            records.append(0x8000_0000 | s)
            let inputs: [UInt32] = [[1, 4], [1], [3, 2], []][k % 4]
            for (i, input) in inputs.enumerated() { records.append((input - 1) << 25 | (s + 680_000 + UInt32(i) * 5_000)) }
        }
        records.append(0xFE00_0001)
        return records
    }()

    /// A PTU file of `blocks` copies of ``block``.
    static func file(blocks: Int, at url: URL) throws {
        var header = try PTUWriter().finish()
        let name = Array("TTResult_NumberOfRecords".utf8)
        let at = try #require((0..<header.count).first { header[$0..<min(header.count, $0 + name.count)].elementsEqual(name) }) + 40
        withUnsafeBytes(of: UInt64(blocks * block.count).littleEndian) { for (i, b) in $0.enumerated() { header[at + i] = b } }
        let handle = try FileHandle(forWritingTo: { _ = FileManager.default.createFile(atPath: url.path, contents: nil); return url }())
        defer { try? handle.close() }
        try handle.write(contentsOf: header)
        let chunk = Data((0..<4_096).flatMap { _ in block }.withUnsafeBytes { Array($0) })
        var left = blocks
        while left > 0 {
            let n = min(left, 4_096)
            try handle.write(contentsOf: n == 4_096 ? chunk : chunk.prefix(n * block.count * 4))
            left -= n
        }
    }

    @Test func replayOfALargeFileStaysSmallAndFindsEveryHerald() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let big = dir.appendingPathComponent("big.ptu"), small = dir.appendingPathComponent("small.ptu")
        let blocks = 8_000_000 / Self.block.count
        try Self.file(blocks: blocks, at: big)
        try Self.file(blocks: 1, at: small)

        // The whole-file reader on one block: 17 ψ⁻.
        let one = try TTTRFile.read(contentsOf: small)
        var engine = HeraldEngine(syncChannel: 0, slots: [1, 2, 3, 4].map { EngineSlot(channel: $0, window: 674_000...695_000) },
                                  patterns: [EnginePattern(name: "psi-", slots: [0, 3]), EnginePattern(name: "psi-", slots: [2, 1])])
        _ = engine.process(one.tags)
        _ = engine.flush()
        let perBlock = engine.heralds.reduce(0, +)
        #expect(perBlock == 17)

        // python3 runs the replay and reports its child's peak resident size (getrusage, kB on Linux).
        let script = "import os, resource, subprocess, sys; os.nice(15); r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            + "print(r.returncode); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print(r.stdout); print(r.stderr)"
        let out = try await CLI.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, CLI.ionlink.path, "replay", big.path,
                                                                           "--pattern", "psi-=1,4", "--pattern", "psi-=3,2",
                                                                           "--window", "674ns..695ns", "--threads", "1", "--json"])
        let lines = out.stdout.split(separator: "\n", maxSplits: 2).map(String.init)
        try #require(lines.count == 3 && lines[0] == "0", "\(out.stdout) \(out.stderr)")
        let peakMB = try #require(Double(lines[1])) / 1024
        let size = try #require(try FileManager.default.attributesOfItem(atPath: big.path)[.size] as? Int)
        #expect(size > 32_000_000)
        #expect(peakMB < 64, "replay of a \(size / 1_000_000) MB file peaked at \(peakMB) MB")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [String: Any])
        #expect(json["heralds"] as? [String: Int] == ["psi-": Int(perBlock) * blocks])
        #expect(json["records"] as? Int == blocks * Self.block.count)
        #expect(json["syncs"] as? Int == 33 * blocks)
        #expect(json["overflows"] as? Int == blocks)
    }
}
