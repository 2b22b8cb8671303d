import CLibUSB
import Foundation
import IonLink
import Synchronization

/// A USB device arriving or leaving, as libusb's hot-plug notification reports it.
public struct USBHotplugEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case arrived, left }
    public var kind: Kind
    public var vendorID: UInt16
    public var productID: UInt16
    public var bus: Int
    public var address: Int
}

/// Watches for USB devices of a VID:PID arriving and leaving, through libusb's hot-plug support
/// (on Linux, udev monitoring), on a thread of its own that handles libusb events.
public final class USBHotplugWatcher: Sendable {
    private let continuation: AsyncStream<USBHotplugEvent>.Continuation
    /// The events, in order.
    public let events: AsyncStream<USBHotplugEvent>
    private let loop: EventLoop

    /// The libusb context and the flag that keeps its event thread going.
    final class EventLoop: @unchecked Sendable {
        // @unchecked: `context` is set once; libusb's context is thread-safe.
        let context: OpaquePointer
        private let running = Mutex(true)
        init(_ context: OpaquePointer) { self.context = context }
        var isRunning: Bool { running.withLock { $0 } }
        func stop() { running.withLock { $0 = false } }
    }

    /// Whether this libusb build and platform support hot-plug.
    public static var isSupported: Bool { libusb_has_capability(UInt32(LIBUSB_CAP_HAS_HOTPLUG.rawValue)) != 0 }

    /// Starts watching `vendorID` (and `productID`, if given); devices already present are reported as
    /// arrived first.
    public init(vendorID: UInt16, productID: UInt16? = nil) throws(TransportError) {
        let (stream, continuation) = AsyncStream<USBHotplugEvent>.makeStream()
        events = stream
        self.continuation = continuation
        var ctx: OpaquePointer?
        guard Self.isSupported, libusb_init(&ctx) == 0, let ctx else { throw .notFound(port: "libusb hot-plug") }
        loop = EventLoop(ctx)
        let box = Unmanaged.passRetained(Sink(continuation)).toOpaque()
        var handle: libusb_hotplug_callback_handle = 0
        let events = Int32(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED.rawValue | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT.rawValue)
        let rc = libusb_hotplug_register_callback(
            ctx, events, Int32(LIBUSB_HOTPLUG_ENUMERATE.rawValue), Int32(vendorID),
            productID.map { Int32($0) } ?? LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
            { _, device, event, userData in
                guard let device, let userData else { return 0 }
                let sink = Unmanaged<Sink>.fromOpaque(userData).takeUnretainedValue()
                var desc = libusb_device_descriptor()
                _ = libusb_get_device_descriptor(device, &desc)
                let kind: USBHotplugEvent.Kind = event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? .arrived : .left
                sink.continuation.yield(USBHotplugEvent(kind: kind, vendorID: desc.idVendor, productID: desc.idProduct,
                                                        bus: Int(libusb_get_bus_number(device)),
                                                        address: Int(libusb_get_device_address(device))))
                return 0
            }, box, &handle)
        guard rc == 0 else {
            Unmanaged<Sink>.fromOpaque(box).release()
            libusb_exit(ctx)
            throw .notFound(port: "libusb hot-plug (error \(rc))")
        }
        let loop = loop
        let thread = Thread {
            while loop.isRunning {
                var tv = timeval(tv_sec: 0, tv_usec: 50_000)
                libusb_handle_events_timeout_completed(loop.context, &tv, nil)
            }
        }
        thread.name = "ionlink.usb.hotplug"
        thread.start()
    }

    /// Stops watching; the event stream finishes.
    public func stop() {
        loop.stop()
        continuation.finish()
    }

    deinit { stop() }

    final class Sink: @unchecked Sendable {
        let continuation: AsyncStream<USBHotplugEvent>.Continuation
        init(_ c: AsyncStream<USBHotplugEvent>.Continuation) { continuation = c }
    }
}
