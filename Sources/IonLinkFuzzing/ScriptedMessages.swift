import IonLink
import IonLinkDrivers
import Synchronization

/// A message transport (as USBTMC) that answers each query with the next reply of a script; writes get
/// no reply; when the script has run out a query times out at once. The SCPI drivers' scripted instrument.
public final class ScriptedMessages: MessageTransport {
    public let name = "scripted-usbtmc"
    private let state: Mutex<(replies: [String], next: Int, sent: [String])>

    public init(replies: [String]) { state = Mutex((replies, 0, [])) }

    /// Splits a fuzzer's input into replies at each 0x1E byte (decoded as UTF-8, as the USBTMC link does).
    public convenience init(script: [UInt8]) {
        self.init(replies: script.split(separator: 0x1E, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) })
    }

    public func write(_ message: String) async throws(TransportError) { state.withLock { $0.sent.append(message) } }

    public func query(_ message: String) async throws(TransportError) -> String {
        let reply = state.withLock { s -> String? in
            s.sent.append(message)
            guard s.next < s.replies.count else { return nil }
            defer { s.next += 1 }
            return s.replies[s.next]
        }
        guard let reply else {
            await Task.yield()
            throw .timeout(port: name, after: .zero, partial: [])
        }
        return reply.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every message sent, queries included.
    public var sent: [String] { state.withLock { $0.sent } }
}
