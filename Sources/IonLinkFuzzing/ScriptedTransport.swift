import IonLink
import Synchronization

/// A byte transport that answers each write with the next reply of a script, and times out at once
/// when the script has run out or a reply is incomplete: a fuzzer's instrument, fast and deterministic.
public final class ScriptedTransport: ByteTransport {
    public let port = "scripted"
    private struct State {
        var replies: [[UInt8]]
        var next = 0
        var pending: [UInt8] = []
        var writes: [[UInt8]] = []
    }
    private let state: Mutex<State>

    public init(replies: [[UInt8]]) { state = Mutex(State(replies: replies)) }

    /// Splits a fuzzer's input into replies at each 0x1E (ASCII record separator) byte.
    public convenience init(script: [UInt8]) {
        self.init(replies: script.split(separator: 0x1E, omittingEmptySubsequences: false).map(Array.init))
    }

    public func write(_ bytes: [UInt8]) async throws(TransportError) {
        state.withLock { s in
            s.writes.append(bytes)
            if s.next < s.replies.count {
                s.pending += s.replies[s.next]
                s.next += 1
            }
        }
    }

    public func read(timeout: Duration) async throws(TransportError) -> [UInt8] {
        let bytes = state.withLock { s -> [UInt8] in
            defer { s.pending.removeAll() }
            return s.pending
        }
        if bytes.isEmpty {
            // A real read waits; this one only gives way, so that a caller polling until a deadline
            // (a tagger's acquisition window) cannot starve the other tasks of the cooperative pool.
            await Task.yield()
            throw .timeout(port: port, after: timeout, partial: [])
        }
        return bytes
    }

    public func flushInput() async { state.withLock { $0.pending.removeAll() } }

    /// Everything the driver wrote, one entry per write.
    public var writes: [[UInt8]] { state.withLock { $0.writes } }
}
