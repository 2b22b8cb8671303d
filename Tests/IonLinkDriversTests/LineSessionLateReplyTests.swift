import Foundation
import Logging
import Synchronization
import Testing
import IonLink
@testable import IonLinkDrivers

/// A reply that comes after its query timed out (and after the flush that followed) is discarded, not read
/// as the next query's answer.
@Suite struct LineSessionLateReplyTests {
    /// An instrument that answers `Q` with `R-Q`, in order: each reply comes `delay(Q)` after the later of
    /// the command and the previous reply, in parts when asked; `nil` drops the reply.
    final class SlowInstrument: ByteTransport, Sendable {
        let port = "slow"
        let delay: @Sendable (String) -> Duration?
        let splitFirstReply: Bool
        private let queue = Mutex<(pending: [(at: ContinuousClock.Instant, bytes: [UInt8])], last: ContinuousClock.Instant, replies: Int)>(
            ([], .now, 0))

        init(splitFirstReply: Bool = false, delay: @escaping @Sendable (String) -> Duration?) {
            self.delay = delay
            self.splitFirstReply = splitFirstReply
        }

        func write(_ bytes: [UInt8]) async throws(TransportError) {
            let command = String(decoding: bytes.dropLast(), as: UTF8.self)
            guard let d = delay(command) else { return }
            let reply = Array("R-\(command)\n".utf8)
            queue.withLock { q in
                let at = max(q.last, .now) + d
                q.last = at
                q.replies += 1
                if splitFirstReply && q.replies == 1 {
                    q.pending.append((.now, Array(reply.prefix(2))))
                    q.pending.append((at, Array(reply.dropFirst(2))))
                } else {
                    q.pending.append((at, reply))
                }
            }
        }

        func read(timeout: Duration) async throws(TransportError) -> [UInt8] {
            let deadline = ContinuousClock.now + timeout
            while true {
                // Judged by the reply's time, not the reader's: a reply due after the deadline is a timeout however
                // late this task wakes.
                let now = ContinuousClock.now
                let ready = queue.withLock { q -> [UInt8]? in
                    guard let first = q.pending.first, first.at <= min(now, deadline) else { return nil }
                    return q.pending.removeFirst().bytes
                }
                if let ready { return ready }
                if now >= deadline { throw .timeout(port: port, after: timeout, partial: []) }
                try? await Task.sleep(for: .milliseconds(2))
            }
        }

        func flushInput() async {
            let now = ContinuousClock.now
            queue.withLock { $0.pending.removeAll { $0.at <= now } }
        }
    }

    func session(_ instrument: SlowInstrument) -> LineSession {
        LineSession(port: "slow", commandTerminator: "\n", replyTerminator: "\n", timeout: .milliseconds(200),
                    logger: Logger(label: "test")) { () throws(TransportError) -> any ByteTransport in instrument }
    }

    @Test(arguments: [false, true])
    func aLateReplyIsNotTheNextQuerysAnswer(split: Bool) async throws {
        // Q1's reply comes 130 ms after its timeout, within the next wait; the instrument answers in order, so Q2's comes after it.
        let s = session(SlowInstrument(splitFirstReply: split) { $0 == "Q1" ? .milliseconds(330) : .milliseconds(5) })
        await #expect(throws: TransportError.self) { _ = try await s.transaction("Q1") { _ in true } }
        #expect(try await s.transaction("Q2") { _ in true } == ["R-Q2"])
        #expect(try await s.transaction("Q3") { _ in true } == ["R-Q3"])
    }

    @Test func aReplyThatNeverComesLeavesTheNextRepliesInStep() async throws {
        let s = session(SlowInstrument { $0 == "Q1" ? nil : .milliseconds(5) })
        await #expect(throws: TransportError.self) { _ = try await s.transaction("Q1") { _ in true } }
        #expect(try await s.transaction("Q2") { _ in true } == ["R-Q2"])
        #expect(try await s.transaction("Q3") { _ in true } == ["R-Q3"])
    }
}
