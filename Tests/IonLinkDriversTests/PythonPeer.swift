import Foundation
import IonLink
import Synchronization

/// A Python script run as a peer of the emulators (a public client library from PyPI, as a lab would use
/// it), under the virtual devices' environment.
enum PythonPeer {
    /// Runs `script` with `arguments` under `environment`: its exit status, standard output and error. The
    /// wait is on a thread of its own (``onOwnThread(_:)``), so a long script cannot starve other tests, and the
    /// interpreter runs niced (10): the hardware-in-the-loop suites beside it time their drivers' replies (a
    /// DG645 and a 9520 fault-recovery check missed their limits once while five clients imported numpy).
    static func run(_ script: String, arguments: [String] = [], environment: [String: String]) async throws -> (Int32, String, String) {
        try await onOwnThread { try runBlocking(script, arguments: arguments, environment: environment) }
    }

    private static func runBlocking(_ script: String, arguments: [String], environment: [String: String]) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["nice", "-n", "10", "python3", "-c", script] + arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Standard error on a thread of its own, so that neither pipe can fill while the other is read.
        let errors = Mutex<Data>(Data())
        let reader = Thread { errors.withLock { $0 = err.fileHandleForReading.readDataToEndOfFile() } }
        reader.start()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        while !reader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
        return (p.terminationStatus, text, String(decoding: errors.withLock { $0 }, as: UTF8.self))
    }
}
