import Dispatch
import Foundation
import IonLink
import Synchronization

/// An emulator served on a virtual serial port: the host opens ``devnode`` with the real
/// libserialport; bytes it writes reach the emulator, whose replies come back through the pty,
/// with the faults of ``faults`` applied.
public final class EmulatedSerialPort: @unchecked Sendable {
    // @unchecked: `masterFD`, `serving` and `emulator` are only touched on `queue`; the poll thread only
    // reads the fd number it was started with.
    public let usb: VirtualUSBIdentity
    private let identity = Mutex<(name: String, minor: Int)>(("", 0))
    private let testbed: VirtualSerialTestbed
    private let queue: DispatchQueue
    private let emulator: any InstrumentEmulator
    private var masterFD: Int32 = -1
    private var serving: ServingFlag?
    /// Faults to inject; change them at any time.
    public let faults = Mutex(ReplyFaults())
    private let received = Mutex<[UInt8]>([])

    /// Serves `emulator` on a new port of `testbed`.
    public init(testbed: VirtualSerialTestbed, usb: VirtualUSBIdentity, emulator: any InstrumentEmulator) throws(VirtualPortError) {
        self.testbed = testbed
        self.usb = usb
        self.emulator = emulator
        queue = DispatchQueue(label: "ionlink.emulator.\(usb.serialNumber)")
        try plugIn()
    }

    /// The port's device node now (a replugged adapter gets a new `ttyUSB<n>`, as it may on a real system).
    public var devnode: String { "/dev/" + identity.withLock { $0.name } }

    deinit {
        serving?.stop()
        if masterFD >= 0 { testbed.unplug(devnode) }
    }

    /// Every byte the host has sent since the port was made.
    public var receivedBytes: [UInt8] { received.withLock { $0 } }
    public var receivedText: String { String(decoding: receivedBytes, as: UTF8.self) }
    public func clearReceived() { received.withLock { $0.removeAll() } }

    /// Adds the device to the testbed under a fresh `ttyUSB<n>` (or `ttyACM<n>`) and starts serving its pty.
    public func plugIn() throws(VirtualPortError) {
        let minor = VirtualSerialTestbed.allocateMinor()
        let name = "\(usb.attachment.ttyStem)\(minor)"
        let (_, fd) = try testbed.addSerialPort(name: name, usb: usb, minor: minor)
        identity.withLock { $0 = (name, minor) }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let flag = ServingFlag()
        queue.sync {
            masterFD = fd
            serving = flag
        }
        let streams = emulator is any StreamingEmulator
        // One poll thread per plug-in: it hands readable events to the queue until unplugged, and every 20 ms
        // (the poll's timeout, so it sleeps in between) lets a streaming emulator send what it has produced.
        let thread = Thread { [weak self] in
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            while flag.isServing {
                pfd.revents = 0
                let ready = poll(&pfd, 1, 20)
                guard ready > 0 else {
                    if streams, let self { self.queue.sync { self.pumpStream() } }
                    continue
                }
                guard pfd.revents & Int16(POLLIN) != 0 else {
                    // No client has the port open: a pty master then reports a hang-up at once, every time
                    // it is polled. Look again a little later instead of spinning (the first command after
                    // a client opens the port waits at most this long).
                    usleep(20_000)
                    continue
                }
                guard let self else { return }
                self.queue.sync {
                    self.drain()
                    if streams { self.pumpStream() }
                }
            }
        }
        thread.name = "ionlink.emulator.\(name)"
        thread.start()
    }

    /// Runs `body` with the emulator on the port's serving queue (between commands), to turn its knobs.
    public func withEmulator<R>(_ body: (any InstrumentEmulator) -> R) -> R { queue.sync { body(emulator) } }

    /// Whether the port is plugged in.
    public var isPluggedIn: Bool { queue.sync { masterFD >= 0 } }

    /// Pulls the cable: the device leaves the testbed and the line hangs up.
    public func unplug() {
        queue.sync { unplugOnQueue() }
    }

    private func unplugOnQueue() {
        guard masterFD >= 0 else { return }
        serving?.stop()
        serving = nil
        testbed.unplug(devnode)
        masterFD = -1
    }

    private func drain() {
        guard masterFD >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { Foundation.read(masterFD, $0.baseAddress, $0.count) }
        guard n > 0 else { return }
        let bytes = Array(buffer[..<n])
        received.withLock { $0 += bytes }
        for reply in emulator.receive(bytes) { send(reply) }
    }

    /// Writes what a streaming emulator has produced since the last call (no reply faults: it answers no command).
    private func pumpStream() {
        guard masterFD >= 0, let streaming = emulator as? any StreamingEmulator, streaming.isStreaming else { return }
        let bytes = streaming.streamed()
        guard !bytes.isEmpty else { return }
        _ = bytes.withUnsafeBytes { Foundation.write(masterFD, $0.baseAddress, $0.count) }
    }

    private func send(_ reply: [UInt8]) {
        var plan = faults.withLock { p -> ReplyFaults in
            let now = p
            if p.unplugOnNextCommand { p.unplugOnNextCommand = false }
            else if p.dropReplies > 0 { p.dropReplies -= 1 }
            else if p.garbleReplies > 0 { p.garbleReplies -= 1 }
            else if p.truncateReplies > 0 { p.truncateReplies -= 1 }
            return now
        }
        if plan.unplugOnNextCommand { unplugOnQueue(); return }
        if plan.dropReplies > 0 || reply.isEmpty { return }
        var bytes = reply
        if plan.garbleReplies > 0 {
            let terminator = reply.suffix(while: { $0 == 0x0D || $0 == 0x0A })
            bytes = [0x15, 0xFE, 0x3F, 0x7E, 0x00, 0x23, 0xB5] + terminator
        } else if plan.truncateReplies > 0 {
            bytes = Array(reply.prefix(max(1, reply.count / 2)))
            if bytes.last == 0x0A || bytes.last == 0x0D { bytes.removeLast() }
        }
        plan.dropReplies = 0
        let delay = plan.replyDelay
        let out = bytes
        let write: @Sendable () -> Void = { [self] in
            guard masterFD >= 0 else { return }
            _ = out.withUnsafeBytes { Foundation.write(masterFD, $0.baseAddress, $0.count) }
        }
        if delay > .zero {
            queue.asyncAfter(deadline: .now() + .nanoseconds(Int(delay.inPicoseconds / 1000)), execute: write)
        } else {
            write()
        }
    }
}

extension Array where Element == UInt8 {
    /// The longest suffix whose bytes all satisfy `predicate`.
    func suffix(while predicate: (UInt8) -> Bool) -> [UInt8] {
        var i = endIndex
        while i > startIndex && predicate(self[i - 1]) { i -= 1 }
        return Array(self[i...])
    }
}

/// Tells a port's poll thread to keep going or stop.
final class ServingFlag: Sendable {
    private let value = Mutex(true)
    var isServing: Bool { value.withLock { $0 } }
    func stop() { value.withLock { $0 = false } }
}
