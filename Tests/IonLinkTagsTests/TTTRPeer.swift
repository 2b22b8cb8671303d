import Foundation
import IonLink
import Testing

/// Runs a Python script from `Tests/tttr/` (tttrlib from PyPI is the peer), outside umockdev's preload,
/// and returns its standard output.
enum TTTRPeer {
    /// The wait is on a thread of its own (``onOwnThread(_:)``), so a long script cannot starve other tests.
    static func run(_ script: String, _ arguments: [String]) async throws -> Data {
        let (status, data, errors) = try await onOwnThread { try runBlocking(script, arguments) }
        try #require(status == 0, "tttrlib failed (pip install -r Tests/requirements.txt?): \(errors)")
        return data
    }

    private static func runBlocking(_ script: String, _ arguments: [String]) throws -> (Int32, Data, String) {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("tttr/\(script)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", path.path] + arguments
        p.environment = ProcessInfo.processInfo.environment.filter { $0.key != "LD_PRELOAD" && $0.key != "UMOCKDEV_DIR" }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, data, errors)
    }
}
