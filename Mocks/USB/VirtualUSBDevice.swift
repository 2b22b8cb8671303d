import CUMockdev
import Foundation
import IonLink
import Synchronization

/// A URB the host submitted to a virtual USB device.
public struct SubmittedURB: @unchecked Sendable {
    // @unchecked: `handle` is an opaque token, only passed back to the handler's C code.
    public let handle: UnsafeMutableRawPointer
    /// usbfs URB type: 1 interrupt, 2 control, 3 bulk.
    public let type: Int
    /// Endpoint address (bit 7 set for IN).
    public let endpoint: UInt8
    /// The buffer as submitted: OUT data, or for control transfers the 8-byte setup packet first.
    public let buffer: [UInt8]
    public var isIn: Bool { type == 2 ? (buffer.first ?? 0) & 0x80 != 0 : endpoint & 0x80 != 0 }
}

/// A USB device model: gets every URB and completes it, at once or later.
public protocol USBDeviceEmulator: AnyObject, Sendable {
    /// Called on umockdev's worker thread for each submitted URB; complete it with `complete`, which
    /// returns false when the host has discarded the URB meanwhile (the data did not arrive).
    func submit(_ urb: SubmittedURB, complete: @escaping @Sendable (_ status: Int32, _ data: [UInt8]) -> Bool)
    /// The device and configuration descriptors, concatenated, as sysfs `descriptors` holds them.
    var descriptors: [UInt8] { get }
}

/// A USB device in a umockdev testbed (sysfs entry with descriptors, a `/dev/bus/usb` node) whose
/// usbfs ioctls reach `emulator`, so the real libusb talks to it unmodified.
public final class VirtualUSBDevice: @unchecked Sendable {
    // @unchecked: `state` belongs to the C handler, which locks it itself.
    public let devnode: String
    public let emulator: any USBDeviceEmulator
    private let testbed: VirtualSerialTestbed
    private let sysfsPath: String
    private var state: UnsafeMutablePointer<ionlink_usb_state>?
    private let box: Unmanaged<Box>

    final class Box {
        let emulator: any USBDeviceEmulator
        var state: UnsafeMutablePointer<ionlink_usb_state>?
        init(_ e: any USBDeviceEmulator) { emulator = e }
    }

    /// Adds the device as bus 2, device `address`, with the given identity strings in sysfs.
    public init(testbed: VirtualSerialTestbed, address: Int, vendorID: UInt16, productID: UInt16, serialNumber: String,
                emulator: any USBDeviceEmulator) throws(VirtualPortError) {
        self.testbed = testbed
        self.emulator = emulator
        let dev = String(format: "bus/usb/002/%03d", address)
        devnode = "/dev/" + dev
        sysfsPath = "/devices/pci0000:00/0000:00:14.0/usb2/2-\(address)"
        let hex = emulator.descriptors.map { String(format: "%02x", $0) }.joined()
        let description = """
            P: \(sysfsPath)
            N: \(dev)
            E: SUBSYSTEM=usb
            E: DEVTYPE=usb_device
            E: DEVNAME=\(devnode)
            E: BUSNUM=002
            E: DEVNUM=\(String(format: "%03d", address))
            E: PRODUCT=\(String(format: "%x/%x/100", vendorID, productID))
            A: busnum=2
            A: devnum=\(address)
            A: speed=480
            A: idVendor=\(String(format: "%04x", vendorID))
            A: idProduct=\(String(format: "%04x", productID))
            A: serial=\(serialNumber)
            A: bConfigurationValue=1
            A: bNumConfigurations=1
            A: dev=189:\(128 + address)
            H: descriptors=\(hex)

            """
        box = Unmanaged.passRetained(Box(emulator))
        let context = box.toOpaque()
        try testbed.addDevice(description)
        var message: UnsafeMutablePointer<CChar>?
        guard let s = ionlink_umockdev_attach_usb(testbed.pointer, devnode, { ctx, urb, type, endpoint, buffer, length in
            guard let ctx, let urb else { return }
            let box = Unmanaged<VirtualUSBDevice.Box>.fromOpaque(ctx).takeUnretainedValue()
            let bytes = buffer.map { Array(UnsafeBufferPointer(start: $0, count: Int(length))) } ?? []
            let submitted = SubmittedURB(handle: urb, type: Int(type), endpoint: UInt8(truncatingIfNeeded: endpoint), buffer: bytes)
            guard let state = box.state else { return }
            let token = URBToken(state: state, urb: urb)
            box.emulator.submit(submitted) { status, data in token.complete(status: status, data: data) }
        }, context, &message) else {
            defer { g_free(message) }
            box.release()
            throw .testbed(message.map { String(cString: $0) } ?? "attach failed")
        }
        box.takeUnretainedValue().state = s
        state = s
        testbed.uevent("/sys" + sysfsPath, action: "add")
    }

    deinit {
        testbed.removeDevice("/sys" + sysfsPath)
        // The handler's state and the box stay allocated: umockdev may still call into them.
    }

    /// Removes the device, as if its cable were pulled (udev monitors see a `remove` event).
    public func unplug() {
        testbed.uevent("/sys" + sysfsPath, action: "remove")
        testbed.removeDevice("/sys" + sysfsPath)
    }
}

/// The C handler's state and one URB, to complete it from any thread (the handler locks its state).
struct URBToken: @unchecked Sendable {
    let state: UnsafeMutablePointer<ionlink_usb_state>
    let urb: UnsafeMutableRawPointer

    func complete(status: Int32, data: [UInt8]) -> Bool {
        data.withUnsafeBufferPointer { ionlink_usb_complete(state, urb, status, $0.baseAddress, Int32($0.count)) } != 0
    }
}
