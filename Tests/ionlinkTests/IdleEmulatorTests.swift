import Foundation
import Testing

/// An emulator nobody has opened sleeps: `ionlink emulate` with its ports unopened uses under 1 % of a
/// core. (A pty master with no client reports a hang-up at once on every poll; the serving thread used to
/// spin on it, at 70–80 % of a core per emulator.)
@Suite struct IdleEmulatorTests {
    /// The process's user + system CPU time so far, from /proc (Linux), in seconds.
    func cpuSeconds(_ pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th
        // field of the line, stime the 15th.
        let rest = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
        let ticks = try #require(Double(rest[11])) + (try #require(Double(rest[12])))
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    @Test func anIdleEmulatorSleeps() async throws {
        let (emulate, out, _) = try CLI.start(CLI.ionlink, ["emulate", "obis", "cobolt", "--duration", "600s"])
        defer { emulate.terminate() }
        let printed = await CLI.readUntil("UMOCKDEV_DIR=", from: out)
        try #require(printed.contains("UMOCKDEV_DIR="), "emulate ended early: \(printed)")
        try await Task.sleep(for: .milliseconds(500))
        try #require(emulate.isRunning, "emulate ended early")
        let before = try cpuSeconds(emulate.processIdentifier)
        let start = ContinuousClock.now
        try await Task.sleep(for: .seconds(4))
        let used = try cpuSeconds(emulate.processIdentifier) - before
        let wall = (ContinuousClock.now - start) / .seconds(1)
        #expect(used < 0.01 * wall, "two idle emulators used \(used) s of CPU in \(wall) s")
    }
}
