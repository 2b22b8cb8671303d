import Foundation

/// What this process holds, read from /proc: resident memory, open file descriptors and threads. The
/// soak samples it to show that a long run neither grows nor leaks.
struct ProcessResources: Sendable, Hashable {
    /// Resident set size, bytes (`/proc/self/statm`, second field, times the page size).
    var residentBytes: Int
    var openFiles: Int
    var threads: Int

    static func now() -> ProcessResources {
        let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
        // Listing /proc/self/fd opens one descriptor of its own while it reads.
        return ProcessResources(residentBytes: pages * Int(sysconf(Int32(_SC_PAGESIZE))), openFiles: max(0, fds - 1), threads: tasks)
    }
}
