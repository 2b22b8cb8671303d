/// How the kernel presents a USB serial instrument, and so the name and sysfs shape of its virtual port.
///
/// An instrument behind a USB-serial converter chip (FTDI's, with the `ftdi_sio` driver) is a `usb-serial` device
/// below its USB interface and appears as `ttyUSB<n>` (major 188). An instrument with a native USB port of the CDC
/// Abstract Control Model class (the Windfreak SynthHD, S-Fifteen's TDC1, Microchip-based controllers) is served by
/// `cdc_acm` directly on its interface and appears as `ttyACM<n>` (major 166), with no `usb-serial` level between.
/// Linux's sysfs layout for both: Documentation/usb/acm.rst and drivers/usb/serial in the kernel tree; libserialport
/// walks up from `/sys/class/tty/<name>/device` to the USB device either way.
public enum SerialAttachment: String, Sendable, Hashable, CaseIterable {
    /// A USB-serial converter (`ftdi_sio`): `ttyUSB<n>`.
    case usbSerial
    /// A CDC-ACM device (`cdc_acm`): `ttyACM<n>`.
    case cdcACM

    /// The tty name's stem.
    public var ttyStem: String { self == .cdcACM ? "ttyACM" : "ttyUSB" }
    /// The tty major number Linux gives the driver.
    var major: Int { self == .cdcACM ? 166 : 188 }
}
