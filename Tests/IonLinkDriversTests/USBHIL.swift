import Foundation
import Testing

/// Every virtual-USB test, one at a time: umockdev serves all ioctls of a testbed on one worker thread,
/// and libusb polls a virtual device busily, so two USB clients at once (or pyvisa's device scan) slow
/// each other past their timeouts.
@Suite(.serialized) struct USBHIL {
    /// A fresh device address on the virtual bus 2.
    static let nextAddress = Counter()

    final class Counter: @unchecked Sendable {
        private var n = 10
        private let lock = NSLock()
        func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
    }
}
