import Foundation
import IonLinkMocks
#if canImport(Glibc)
import Glibc
#endif

/// The user's whole instrument path, for the default lab (docs/labs/instrument-lab-polarization.yaml:
/// four SNSPDs on two TDC1s sharing the sync) and its time-bin form (docs/labs/instrument-lab.yaml, one
/// TDC1): `ionlink emulate --lab` (every role an emulated instrument), then `ionlink run --config` of the
/// same lab for 1000 heralds through the real drivers, libserialport and the umockdev preload; beside it,
/// in the same run, the same lab with its `devices:` removed (the pure simulation). Both are child
/// processes of the release build's `ionlink`, timed from spawn to exit, their peak resident memory read
/// from `wait4`. The herald decision latency (TDC1 batch read → decision on the host, p50/p99) is the
/// run's own measurement, from its JSON summary, set beside the tagger's acquisition time (the host keeps
/// up while the latency stays below it).
func runEmulatedLabBenchmark() async throws {
    guard VirtualSerialTestbed.processIsPreloaded else {
        print("lab: skipped (run under umockdev-wrapper: the emulated instruments are umockdev devices)")
        return
    }
    let ionlink = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ionlink")
    guard FileManager.default.isExecutableFile(atPath: ionlink.path) else {
        throw BenchmarkError(message: "lab: no \(ionlink.path) (build it first: swift build -c release)")
    }
    for file in ["docs/labs/instrument-lab-polarization.yaml", "docs/labs/instrument-lab.yaml"] {
        try benchmarkEmulatedLab(file, ionlink: ionlink)
    }
}

/// One lab of ``runEmulatedLabBenchmark()``.
func benchmarkEmulatedLab(_ file: String, ionlink: URL) throws {
    let lab = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(file)
    let yaml = try String(contentsOf: lab, encoding: .utf8)
    guard let devices = yaml.range(of: "\ndevices:") else { throw BenchmarkError(message: "lab: \(lab.path) binds no devices") }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ionlink-bench-lab-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let simulated = directory.appendingPathComponent("simulated.yaml")
    try String(yaml[..<devices.lowerBound]).appending("\n").write(to: simulated, atomically: true, encoding: .utf8)

    let heralds = 1000, seed = "7"
    let run = ["run", "--heralds", "\(heralds)", "--no-record", "--json", "--seed", seed]
    let pure = try measureChild(ionlink.path, run + ["--config", simulated.path], environment: [:], directory: directory)

    let emulate = Process()
    emulate.executableURL = ionlink
    emulate.arguments = ["emulate", "--lab", lab.path, "--seed", seed, "--duration", "3600s"]
    let out = Pipe()
    emulate.standardOutput = out
    emulate.standardError = FileHandle.nullDevice
    try emulate.run()
    defer { emulate.terminate(); emulate.waitUntilExit() }
    var printed = ""
    while !printed.contains("UMOCKDEV_DIR=") || !printed.hasSuffix("\n") {
        let chunk = out.fileHandleForReading.availableData
        guard !chunk.isEmpty else { throw BenchmarkError(message: "lab: ionlink emulate ended early: \(printed)") }
        printed += String(decoding: chunk, as: UTF8.self)
    }
    var environment: [String: String] = [:]
    for pair in (printed.split(separator: "\n").last ?? "").split(separator: " ") {
        let kv = pair.split(separator: "=", maxSplits: 1)
        environment[String(kv[0])] = kv.count > 1 ? String(kv[1]) : ""
    }
    let emulated = try measureChild(ionlink.path, run + ["--config", lab.path], environment: environment, directory: directory)

    guard let summary = try JSONSerialization.jsonObject(with: emulated.stdout) as? [String: Any],
          let tagger = summary["tagger"] as? [String: Any],
          let p50 = tagger["decision_latency_p50_us"] as? Double, let p99 = tagger["decision_latency_p99_us"] as? Double,
          let attempts = summary["attempts"] as? Int, summary["heralds"] as? Int == heralds else {
        throw BenchmarkError(message: "lab: the emulated run's summary lacks its heralds or tagger figures")
    }
    let acquisitionUs = 1_000.0 // both labs: acquisition_ms 1
    print("lab: \(file)")
    print(String(format: "lab: %d heralds (%d attempts) through the lab's emulated instruments  %.1f s, peak RSS %.0f MB   "
                 + "pure simulation of the same lab  %.3f s, %.0f MB   emulated/simulated %.0f×",
                 heralds, attempts, emulated.seconds, emulated.peakMB, pure.seconds, pure.peakMB, emulated.seconds / pure.seconds))
    print(String(format: "lab: herald decision latency through the TDC1 driver  p50 %.1f µs  p99 %.1f µs   "
                 + "(%.3f and %.3f of the tagger's %.0f µs acquisition)", p50, p99, p50 / acquisitionUs, p99 / acquisitionUs, acquisitionUs))
}

/// A child process's wall time from spawn to exit, its peak resident set (`wait4`'s `ru_maxrss`) and
/// its standard output (through a file, so a long output cannot block it).
struct ChildMeasurement {
    var seconds: Double
    var peakMB: Double
    var stdout: Data
}

func measureChild(_ executable: String, _ arguments: [String], environment: [String: String], directory: URL) throws -> ChildMeasurement {
    let outPath = directory.appendingPathComponent("stdout-\(UUID().uuidString)").path
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let env = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }.map { "\($0.key)=\($0.value)" }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup($0) } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let start = ContinuousClock.now
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    guard spawned == 0 else { throw BenchmarkError(message: "could not start \(executable): errno \(spawned)") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
        guard errno == EINTR else { throw BenchmarkError(message: "wait4 failed: errno \(errno)") }
    }
    let seconds = (ContinuousClock.now - start).inSeconds
    let stdout = (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()
    // Exited normally with status 0: the low seven bits (the signal) and the exit code are both zero.
    guard status == 0 else {
        throw BenchmarkError(message: "\(executable) \(arguments.joined(separator: " ")) ended with wait status \(status)")
    }
    return ChildMeasurement(seconds: seconds, peakMB: Double(usage.ru_maxrss) / 1024, stdout: stdout)
}
