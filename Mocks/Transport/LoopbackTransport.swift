import IonLink
import Synchronization

/// One direction of an in-memory byte pipe.
final class BytePipe: Sendable {
    private struct State {
        var bytes: [UInt8] = []
        var waiter: CheckedContinuation<Void, Never>?
        var closed = false
    }
    private let state = Mutex(State())

    func push(_ data: [UInt8]) {
        let w = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.bytes += data
            defer { s.waiter = nil }
            return s.waiter
        }
        w?.resume()
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    func close() {
        let w = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.closed = true
            defer { s.waiter = nil }
            return s.waiter
        }
        w?.resume()
    }

    /// Takes everything buffered; nil if the pipe is closed and empty.
    func take() -> [UInt8]?? {
        state.withLock { s -> [UInt8]?? in
            if !s.bytes.isEmpty { defer { s.bytes.removeAll() }; return .some(s.bytes) }
            return s.closed ? .some(nil) : .none
        }
    }

    /// Waits until data or close arrives, or `timeout` passes.
    func wait(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    let resumeNow = self.state.withLock { s -> Bool in
                        if !s.bytes.isEmpty || s.closed { return true }
                        s.waiter?.resume()
                        s.waiter = c
                        return false
                    }
                    if resumeNow { c.resume() }
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            // Wake the other child so the group can finish.
            let w = self.state.withLock { s -> CheckedContinuation<Void, Never>? in defer { s.waiter = nil }; return s.waiter }
            w?.resume()
            group.cancelAll()
        }
    }
}

/// An in-memory transport: the driver's end of a pipe whose other end an emulator serves.
public final class LoopbackTransport: ByteTransport {
    public let port: String
    let incoming: BytePipe
    let outgoing: BytePipe

    init(port: String, incoming: BytePipe, outgoing: BytePipe) {
        self.port = port
        self.incoming = incoming
        self.outgoing = outgoing
    }

    /// A connected pair: `host` for the driver, `instrument` for the emulator.
    public static func pair(port: String) -> (host: LoopbackTransport, instrument: LoopbackTransport) {
        let toInstrument = BytePipe(), toHost = BytePipe()
        return (LoopbackTransport(port: port, incoming: toHost, outgoing: toInstrument),
                LoopbackTransport(port: port + "#instrument", incoming: toInstrument, outgoing: toHost))
    }

    public func write(_ bytes: [UInt8]) async throws(TransportError) {
        guard !outgoing.isClosed else { throw .disconnected(port: port) }
        outgoing.push(bytes)
    }

    public func read(timeout: Duration) async throws(TransportError) -> [UInt8] {
        switch incoming.take() {
        case .some(.some(let b)): return b
        case .some(.none): throw .disconnected(port: port)
        case .none: break
        }
        await incoming.wait(timeout: timeout)
        switch incoming.take() {
        case .some(.some(let b)): return b
        case .some(.none): throw .disconnected(port: port)
        case .none: throw .timeout(port: port, after: timeout, partial: [])
        }
    }

    public func flushInput() async { _ = incoming.take() }

    /// Simulates unplugging: both directions close.
    public func unplug() {
        incoming.close()
        outgoing.close()
    }
}
