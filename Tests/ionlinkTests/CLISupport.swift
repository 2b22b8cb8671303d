import Foundation
import Testing

/// Runs the built `ionlink` binary and Python helpers from tests, outside umockdev's preload.
enum CLI {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `ionlink` executable built beside the test bundle (`swift build --build-tests` builds it).
    static var ionlink: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [beside, beside.deletingLastPathComponent(), repo.appendingPathComponent(".build/debug")] {
            let candidate = dir.appendingPathComponent("ionlink")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return repo.appendingPathComponent(".build/debug/ionlink")
    }

    static var environment: [String: String] {
        ProcessInfo.processInfo.environment.filter { $0.key != "LD_PRELOAD" && $0.key != "UMOCKDEV_DIR" }
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts a process; the caller waits or kills it.
    /// Waits up to `limit` for `p` to exit; a process still running then is terminated and nil returned
    /// (the caller records the hang).
    static func exitStatus(of p: Process, within limit: TimeInterval) async throws -> Int32? {
        let deadline = Date().addingTimeInterval(limit)
        while p.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if p.isRunning {
            p.terminate()
            return nil
        }
        return p.terminationStatus
    }

    static func start(_ executable: URL, _ arguments: [String], in directory: URL? = nil, adding extra: [String: String] = [:]) throws
        -> (Process, Pipe, Pipe)
    {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        p.environment = environment.merging(extra) { $1 }
        if let directory { p.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, out, err)
    }

    /// Runs a process to its end and collects its output. The waiting happens on Dispatch threads, not
    /// the test's: a child that runs for seconds must not hold one of the cooperative pool's threads
    /// (two on this machine), or the suite's polling tests starve and miss their deadlines.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil, adding extra: [String: String] = [:]) async throws
        -> Output
    {
        let (p, out, err) = try start(executable, arguments, in: directory, adding: extra)
        return await withCheckedContinuation { (c: CheckedContinuation<Output, Never>) in
            let group = DispatchGroup()
            nonisolated(unsafe) var o = Data(), e = Data()
            DispatchQueue.global().async(group: group) { o = out.fileHandleForReading.readDataToEndOfFile() }
            DispatchQueue.global().async(group: group) { e = err.fileHandleForReading.readDataToEndOfFile() }
            group.notify(queue: .global()) {
                p.waitUntilExit()
                c.resume(returning: Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                                           stderr: String(decoding: e, as: UTF8.self)))
            }
        }
    }

    static func ionlink(_ arguments: [String], in directory: URL? = nil) async throws -> Output { try await run(ionlink, arguments, in: directory) }

    /// Reads a running child's output until it holds `marker` and ends a line (e.g. `ionlink emulate`'s
    /// environment line), on a Dispatch thread like ``run(_:_:in:adding:)``: the child may take seconds to
    /// get there on a loaded machine, and a blocking read would hold one of the cooperative pool's two
    /// threads meanwhile. Returns what was read; an empty read (the child ended) ends it early.
    static func readUntil(_ marker: String, from pipe: Pipe) async -> String {
        await withCheckedContinuation { (c: CheckedContinuation<String, Never>) in
            DispatchQueue.global().async {
                var printed = ""
                while !printed.contains(marker) || !printed.hasSuffix("\n") {
                    let chunk = pipe.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    printed += String(decoding: chunk, as: UTF8.self)
                }
                c.resume(returning: printed)
            }
        }
    }

    /// Runs a Python script from `Tests/` and decodes its JSON output.
    static func python(_ script: String, _ arguments: [String]) async throws -> [String: Any] {
        let r = try await run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", repo.appendingPathComponent("Tests/" + script).path] + arguments)
        try #require(r.status == 0, "python3 \(script) failed (pip install -r Tests/requirements.txt?): \(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ionlink-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
