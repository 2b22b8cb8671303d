import CUMockdev
import Foundation
import IonLink
import Synchronization

/// Why a virtual port could not be made.
public enum VirtualPortError: Error, Sendable, Equatable, CustomStringConvertible {
    case testbed(String)
    case notPreloaded
    public var description: String {
        switch self {
        case let .testbed(m): "umockdev testbed: \(m)"
        case .notPreloaded:
            "virtual serial ports need the process to run under umockdev's preload "
                + "(LD_PRELOAD=libumockdev-preload.so.0, e.g. `umockdev-wrapper swift test`)"
        }
    }
}

/// A USB identity for a virtual port, so that port listings show VID:PID and a serial number.
public struct VirtualUSBIdentity: Sendable, Hashable {
    public var vendorID: UInt16
    public var productID: UInt16
    public var serialNumber: String
    public var manufacturer: String
    public var product: String
    /// Behind a USB-serial converter (`ttyUSB<n>`) or a CDC-ACM device of its own (`ttyACM<n>`).
    public var attachment: SerialAttachment
    public init(vendorID: UInt16, productID: UInt16, serialNumber: String, manufacturer: String, product: String,
                attachment: SerialAttachment = .usbSerial) {
        self.vendorID = vendorID
        self.productID = productID
        self.serialNumber = serialNumber
        self.manufacturer = manufacturer
        self.product = product
        self.attachment = attachment
    }
}

/// One umockdev testbed holding virtual serial ports (USB-serial ttys backed by ptys) that the real
/// libserialport opens unmodified. The emulator side reads and writes each port's pty master.
///
/// umockdev redirects /dev and /sys through `UMOCKDEV_DIR`, which it sets for the whole process, so a
/// process has one testbed at a time (``shared``); a child process must be given
/// ``environment`` explicitly.
public final class VirtualSerialTestbed: @unchecked Sendable {
    // @unchecked: the testbed pointer is only used under `lock`.
    private let testbed: UnsafeMutablePointer<UMockdevTestbed>
    private let lock = Mutex<[String: [String]]>([:])  // devnode → its sysfs paths, child first
    public let rootDirectory: String

    public init() throws(VirtualPortError) {
        guard let tb = umockdev_testbed_new() else { throw .testbed("umockdev_testbed_new failed") }
        testbed = tb
        guard let root = umockdev_testbed_get_root_dir(tb) else { throw .testbed("no root directory") }
        rootDirectory = String(cString: root)
        g_free(root)
    }

    deinit { g_object_unref(testbed) }

    /// Whether this process runs under umockdev's preload (needed to open the virtual ports here).
    public static var processIsPreloaded: Bool {
        (ProcessInfo.processInfo.environment["LD_PRELOAD"] ?? "").contains("libumockdev-preload")
    }

    /// The process's testbed (umockdev allows one per process), created on first use.
    public static func shared() throws(VirtualPortError) -> VirtualSerialTestbed {
        guard processIsPreloaded else { throw .notPreloaded }
        return try sharedTestbed.withLock { tb throws(VirtualPortError) -> VirtualSerialTestbed in
            if let tb { return tb }
            let made = try VirtualSerialTestbed()
            tb = made
            return made
        }
    }
    private static let sharedTestbed = Mutex<VirtualSerialTestbed?>(nil)
    private static let nextMinor = Mutex(0)

    /// A fresh tty minor number (and so a fresh `ttyUSB<n>` or `ttyACM<n>` name) for this process's testbed.
    public static func allocateMinor() -> Int { nextMinor.withLock { n in defer { n += 1 }; return n } }

    /// Environment a child process needs to see this testbed's ports.
    public var environment: [String: String] {
        ["LD_PRELOAD": "libumockdev-preload.so.0", "UMOCKDEV_DIR": rootDirectory]
    }

    /// Adds a serial tty `name` (`ttyUSB0` behind a converter, `ttyACM0` for a CDC-ACM device: ``SerialAttachment``) and
    /// returns its device node and the pty master fd the emulator serves.
    public func addSerialPort(name: String, usb: VirtualUSBIdentity, minor: Int) throws(VirtualPortError) -> (devnode: String, masterFD: Int32) {
        let usbPath = "/devices/pci0000:00/0000:00:14.0/usb1/1-\(minor + 1)"
        let interface = "\(usbPath)/1-\(minor + 1):1.0"
        let acm = usb.attachment == .cdcACM
        // A converter's tty sits below a usb-serial device of the interface; a CDC-ACM tty directly below the interface.
        let ttyPath = acm ? "\(interface)/tty/\(name)" : "\(interface)/\(name)/tty/\(name)"
        let serialLevel = acm ? "" : """
            P: \(interface)/\(name)
            E: SUBSYSTEM=usb-serial
            E: DRIVER=ftdi_sio


            """
        let description = """
            P: \(usbPath)
            E: SUBSYSTEM=usb
            E: DEVTYPE=usb_device
            A: idVendor=\(String(format: "%04x", usb.vendorID))
            A: idProduct=\(String(format: "%04x", usb.productID))
            A: serial=\(usb.serialNumber)
            A: manufacturer=\(usb.manufacturer)
            A: product=\(usb.product)
            A: busnum=1
            A: devnum=\(minor + 2)
            A: bNumInterfaces= \(acm ? 2 : 1)

            P: \(interface)
            E: SUBSYSTEM=usb
            E: DEVTYPE=usb_interface
            E: DRIVER=\(acm ? "cdc_acm" : "ftdi_sio")
            A: bInterfaceNumber=00
            A: bInterfaceClass=\(acm ? "02" : "ff")

            \(serialLevel)P: \(ttyPath)
            N: \(name)
            E: SUBSYSTEM=tty
            E: DEVNAME=/dev/\(name)
            A: dev=\(usb.attachment.major):\(minor)
            L: device=../../../\(acm ? "1-\(minor + 1):1.0" : name)

            """
        let devnode = "/dev/\(name)"
        return try lock.withLock { paths throws(VirtualPortError) -> (String, Int32) in
            var message: UnsafeMutablePointer<CChar>?
            guard ionlink_umockdev_add(testbed, description, &message) != 0 else {
                defer { g_free(message) }
                throw .testbed(message.map { String(cString: $0) } ?? "add failed")
            }
            guard ionlink_umockdev_attach_tty(testbed, devnode, &message) != 0 else {
                defer { g_free(message) }
                throw .testbed(message.map { String(cString: $0) } ?? "attach failed")
            }
            let fd = umockdev_testbed_get_dev_fd(testbed, devnode)
            guard fd >= 0 else { throw .testbed("no pty for \(devnode)") }
            paths[devnode] = ["/sys\(ttyPath)"] + (acm ? [] : ["/sys\(interface)/\(name)"]) + ["/sys\(interface)", "/sys\(usbPath)"]
            return (devnode, fd)
        }
    }

    /// The testbed, for the C helpers of other virtual devices (only under `lock`'s discipline: add/remove).
    var pointer: UnsafeMutablePointer<UMockdevTestbed> { testbed }

    /// Adds a device from umockdev's text description.
    func addDevice(_ description: String) throws(VirtualPortError) {
        try lock.withLock { _ throws(VirtualPortError) in
            var message: UnsafeMutablePointer<CChar>?
            guard ionlink_umockdev_add(testbed, description, &message) != 0 else {
                defer { g_free(message) }
                throw .testbed(message.map { String(cString: $0) } ?? "add failed")
            }
        }
    }

    /// Sends a uevent (`add`, `remove`, `change`) for a device to every udev monitor of the testbed.
    func uevent(_ sysfs: String, action: String) {
        lock.withLock { _ in umockdev_testbed_uevent(testbed, sysfs, action) }
    }

    /// Removes a device by its sysfs path (`/sys/devices/…`); removing one that is gone does nothing.
    func removeDevice(_ sysfs: String) {
        lock.withLock { _ in
            if FileManager.default.fileExists(atPath: rootDirectory + sysfs) { umockdev_testbed_remove_device(testbed, sysfs) }
        }
    }

    /// Removes the port's tty and its USB device, as if the cable were pulled.
    public func unplug(_ devnode: String) {
        lock.withLock { paths in
            for sysfs in paths.removeValue(forKey: devnode) ?? [] { umockdev_testbed_remove_device(testbed, sysfs) }
        }
    }
}
