import ArgumentParser
import Foundation
import IonLink
import IonLinkAssembly
import IonLinkDrivers

/// `ionlink scan`: USB (USBTMC) instruments and serial instruments.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "List USBTMC instruments (VID:PID, serial, capabilities, *IDN?) and serial instruments.")

    /// A udev rule that gives the `plugdev` group access to USBTMC interfaces.
    static let udevRule =
        #"SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTRS{bInterfaceClass}=="fe", ATTRS{bInterfaceSubClass}=="03", MODE="0660", GROUP="plugdev""#

    func run() async throws {
        let usb = USBTMCDevice.list()
        if usb.isEmpty { print("no USBTMC instruments found") }
        for info in usb {
            var line = String(format: "usb %03d/%03d  %04x:%04x  ", info.bus, info.address, info.vendorID, info.productID)
            do {
                let device = try USBTMCDevice(info, timeout: .milliseconds(500))
                let caps = device.capabilities
                line += device.deviceSerial.padding(toLength: 16, withPad: " ", startingAt: 0)
                line += (info.isUSB488 ? "USB488" : "USBTMC") + (caps.scpi ? " SCPI" : "") + (caps.termCharSupported ? " TermChar" : "")
                line += (caps.renControl ? " REN" : "") + "  "
                line += (try? await device.query("*IDN?")) ?? "(no answer to *IDN?)"
            } catch TransportError.permissionDenied {
                line += "permission denied: install a udev rule, e.g. /etc/udev/rules.d/99-usbtmc.rules:\n    \(Self.udevRule)\n"
                    + "  then `udevadm control --reload && udevadm trigger` and replug"
            } catch {
                line += "cannot open: \(error)"
            }
            print(line)
        }
        let serial = SerialPortInfo.all()
        if serial.isEmpty { print("no serial ports found") }
        for p in serial {
            let id = await InstrumentCatalog.standard.identify(path: p.path) ?? "(no supported instrument answered)"
            print("serial \(p.path.padding(toLength: 14, withPad: " ", startingAt: 0)) \(p.vidPid ?? "-")  \(id)")
        }
    }
}
