import Foundation
import Testing

/// `ionlink emulate --lab FILE` as a process: every instrument the lab binds, emulated in one simulated world,
/// and the environment (its last printed line) that lets a client open them.
struct EmulatedLabProcess {
    let process: Process
    /// What it printed: one line per emulated instrument, then the environment line.
    let printed: String
    /// `UMOCKDEV_DIR=…` and the preload, for the client's process.
    let environment: [String: String]

    static func start(lab: URL, seed: Int = 4, duration: String = "300s") async throws -> EmulatedLabProcess {
        let (p, out, _) = try CLI.start(CLI.ionlink, ["emulate", "--lab", lab.path, "--seed", "\(seed)", "--duration", duration])
        let printed = await CLI.readUntil("UMOCKDEV_DIR=", from: out)
        guard printed.contains("UMOCKDEV_DIR="), let last = printed.split(separator: "\n").last else {
            p.terminate()
            throw Failure(printed: printed)
        }
        let env = Dictionary(uniqueKeysWithValues: last.split(separator: " ").map {
            let kv = $0.split(separator: "=", maxSplits: 1)
            return (String(kv[0]), kv.count > 1 ? String(kv[1]) : "")
        })
        return EmulatedLabProcess(process: p, printed: printed, environment: env)
    }

    func stop() { process.terminate() }

    struct Failure: Error, CustomStringConvertible {
        let printed: String
        var description: String { "emulate ended early: \(printed)" }
    }
}
