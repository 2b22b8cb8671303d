import CLibSerialPort
import IonLink

/// A serial port as the system lists it.
public struct SerialPortInfo: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var description: String
    /// USB vendor and product ID, for USB-serial adapters and USB CDC instruments.
    public var usbVendorID: UInt16?
    public var usbProductID: UInt16?
    public var usbSerialNumber: String?
    public var usbManufacturer: String?

    /// `VID:PID` in hex, or nil for a port that is not on USB.
    public var vidPid: String? {
        guard let v = usbVendorID, let p = usbProductID else { return nil }
        return String(format: "%04x:%04x", v, p)
    }

    /// Every serial port libserialport finds.
    public static func all() -> [SerialPortInfo] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        guard sp_list_ports(&list) == SP_OK, let list else { return [] }
        defer { sp_free_port_list(list) }
        var out: [SerialPortInfo] = []
        var i = 0
        while let port = list[i] {
            out.append(SerialPortInfo(port))
            i += 1
        }
        return out.sorted { $0.path < $1.path }
    }

    /// Details of one port by path, or nil if there is no such port.
    public static func named(_ path: String) -> SerialPortInfo? {
        var p: OpaquePointer?
        guard sp_get_port_by_name(path, &p) == SP_OK, let p else { return nil }
        defer { sp_free_port(p) }
        return SerialPortInfo(p)
    }

    /// The port of the USB device with this VID, PID and (if given) serial number.
    public static func find(vendorID: UInt16, productID: UInt16, serialNumber: String?) -> SerialPortInfo? {
        all().first { $0.usbVendorID == vendorID && $0.usbProductID == productID
            && (serialNumber == nil || $0.usbSerialNumber == serialNumber) }
    }

    init(_ port: OpaquePointer) {
        path = sp_get_port_name(port).map { String(cString: $0) } ?? "?"
        description = sp_get_port_description(port).map { String(cString: $0) } ?? ""
        if sp_get_port_transport(port) == SP_TRANSPORT_USB {
            var vid: Int32 = 0, pid: Int32 = 0
            if sp_get_port_usb_vid_pid(port, &vid, &pid) == SP_OK {
                usbVendorID = UInt16(truncatingIfNeeded: vid)
                usbProductID = UInt16(truncatingIfNeeded: pid)
            }
            usbSerialNumber = sp_get_port_usb_serial(port).map { String(cString: $0) }
            usbManufacturer = sp_get_port_usb_manufacturer(port).map { String(cString: $0) }
        }
    }
}
