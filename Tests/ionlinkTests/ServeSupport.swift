import Foundation
import Testing

/// `ionlink serve` processes for the tests: started on a free port, which they print.
struct ServedNode {
    let process: Process
    let port: Int
    let stderr: Pipe

    var address: String { "127.0.0.1:\(port)" }

    /// Starts `ionlink serve` with `arguments` (plus `--port 0`) and waits for its "serving … on host:port" line.
    static func start(_ arguments: [String], in directory: URL) async throws -> ServedNode {
        let (p, out, err) = try CLI.start(CLI.ionlink, ["serve", "--port", "0"] + arguments, in: directory)
        // Read the first line on a Dispatch thread (a blocking read must not hold a cooperative thread).
        let line = await withCheckedContinuation { (c: CheckedContinuation<String, Never>) in
            DispatchQueue.global().async {
                var bytes = Data()
                while true {
                    let b = out.fileHandleForReading.readData(ofLength: 1)
                    if b.isEmpty || b == Data("\n".utf8) { break }
                    bytes += b
                }
                c.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
        guard let portText = line.split(separator: ":").last, let port = Int(portText) else {
            p.terminate()
            p.waitUntilExit()
            let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw ServeError.didNotStart("ionlink serve \(arguments): printed '\(line)'; stderr: \(e)")
        }
        return ServedNode(process: p, port: port, stderr: err)
    }

    /// SIGTERM, and wait for the exit.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    enum ServeError: Error { case didNotStart(String) }
}

/// Tokens for a test lab: a tokens file (mode 600) and one token file per principal.
struct TestTokens {
    let control = "control-" + UUID().uuidString
    let observe = "observe-" + UUID().uuidString
    let nodes = "nodes-" + UUID().uuidString

    /// Writes tokens.yaml, control.token and nodes.token into `dir`, all mode 600.
    func write(to dir: URL) throws {
        let yaml = """
            tokens:
              - principal: alice
                role: control
                token: \(control)
              - principal: bob
                role: observe
                token: \(observe)
              - principal: trap-nodes
                role: control
                token: \(nodes)
            """
        for (name, text) in [("tokens.yaml", yaml), ("control.token", control), ("nodes.token", nodes)] {
            let url = dir.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        }
    }
}
