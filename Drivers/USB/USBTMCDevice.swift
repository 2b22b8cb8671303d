import CLibUSB
import Dispatch
import Foundation
import IonLink

/// A USBTMC interface on the bus, as listed (before opening).
public struct USBTMCDeviceInfo: Sendable, Hashable {
    public var vendorID: UInt16
    public var productID: UInt16
    public var bus: Int
    public var address: Int
    /// USB488 subclass protocol (interface protocol 1).
    public var isUSB488: Bool
}

/// What GET_CAPABILITIES reported.
public struct USBTMCCapabilities: Sendable, Hashable {
    public var raw: [UInt8]
    public var termCharSupported: Bool { raw.count > 5 && raw[5] & 0x01 != 0 }
    /// USB488 interface capabilities (byte 14): bit 2 488.2 interface, bit 1 REN/GTL/LLO.
    public var renControl: Bool { raw.count > 14 && raw[14] & 0x02 != 0 }
    /// USB488 device capabilities (byte 15): bit 3 SCPI.
    public var scpi: Bool { raw.count > 15 && raw[15] & 0x08 != 0 }
}

/// A USBTMC (USB488) instrument through libusb, with no vendor VISA (USB-IF USBTMC 1.0 / USB488 1.0).
///
/// Messages go out as DEV_DEP_MSG_OUT with a fresh bTag; replies are asked for with
/// REQUEST_DEV_DEP_MSG_IN and read until EOM, across transfers and requests. On open: INITIATE_CLEAR →
/// CHECK_CLEAR_STATUS → clear-halt → GET_CAPABILITIES (→ REN_CONTROL when USB488 supports it). After a
/// timeout the bulk-IN transfer is aborted (INITIATE_ABORT_BULK_IN / CHECK_…); after a malformed reply
/// or a stall the device is cleared. Blocking libusb calls run on the device's own queue.
public final class USBTMCDevice: @unchecked Sendable {
    // @unchecked: libusb handles and `tag` are only touched on `queue`.
    public let vendorID: UInt16
    public let productID: UInt16
    public let serialNumber: String?
    public let timeout: Duration
    /// When set, only the device at this bus and address is opened.
    private let location: (bus: Int, address: Int)?
    public var name: String { String(format: "usb %04x:%04x", vendorID, productID) + (serialNumber.map { ":" + $0 } ?? "") }
    private let queue: DispatchQueue
    private var context: OpaquePointer?
    private var handle: OpaquePointer?
    private var interfaceNumber: Int32 = 0
    private var bulkOut: UInt8 = 0, bulkIn: UInt8 = 0
    /// The interrupt-IN endpoint, or 0 if the interface has none.
    private var interruptIn: UInt8 = 0
    private var tag: UInt8 = 0
    /// The last READ_STATUS_BYTE bTag (USB488 §4.3.1: 2…127).
    private var statusTag: UInt8 = 1
    public private(set) var capabilities = USBTMCCapabilities(raw: [])
    /// The iSerialNumber string read from the device.
    public private(set) var deviceSerial = ""

    static let maxRead = 4096

    /// Opens the first USBTMC interface with this VID:PID (and serial number, if given).
    public convenience init(vendorID: UInt16, productID: UInt16, serialNumber: String? = nil, timeout: Duration = .seconds(1)) throws(TransportError)
    {
        try self.init(vendorID: vendorID, productID: productID, serialNumber: serialNumber, location: nil, timeout: timeout)
    }

    /// Opens the USBTMC interface of the device at `info`'s bus and address.
    public convenience init(_ info: USBTMCDeviceInfo, timeout: Duration = .seconds(1)) throws(TransportError) {
        try self.init(vendorID: info.vendorID, productID: info.productID, serialNumber: nil, location: (info.bus, info.address), timeout: timeout)
    }

    init(vendorID: UInt16, productID: UInt16, serialNumber: String?, location: (bus: Int, address: Int)?, timeout: Duration) throws(TransportError) {
        self.vendorID = vendorID
        self.productID = productID
        self.serialNumber = serialNumber
        self.location = location
        self.timeout = timeout
        queue = DispatchQueue(label: String(format: "ionlink.usbtmc.%04x.%04x", vendorID, productID))
        var ctx: OpaquePointer?
        guard libusb_init(&ctx) == 0 else { throw .notFound(port: String(format: "usb %04x:%04x", vendorID, productID)) }
        context = ctx
        let opened: Result<Void, TransportError> = queue.sync {
            do throws(TransportError) { try openOnQueue(); return .success(()) } catch { return .failure(error) }
        }
        try opened.get()
    }

    deinit {
        if let handle {
            libusb_release_interface(handle, interfaceNumber)
            libusb_close(handle)
        }
        if let context { libusb_exit(context) }
    }

    /// Every USBTMC interface libusb sees.
    public static func list() -> [USBTMCDeviceInfo] {
        var ctx: OpaquePointer?
        guard libusb_init(&ctx) == 0 else { return [] }
        defer { libusb_exit(ctx) }
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let n = libusb_get_device_list(ctx, &list)
        guard n > 0, let list else { return [] }
        defer { libusb_free_device_list(list, 1) }
        var out: [USBTMCDeviceInfo] = []
        for i in 0..<n {
            guard let dev = list[i], let found = usbtmcInterface(dev) else { continue }
            var desc = libusb_device_descriptor()
            guard libusb_get_device_descriptor(dev, &desc) == 0 else { continue }
            out.append(USBTMCDeviceInfo(vendorID: desc.idVendor, productID: desc.idProduct, bus: Int(libusb_get_bus_number(dev)),
                                        address: Int(libusb_get_device_address(dev)), isUSB488: found.protocol == 1))
        }
        return out
    }

    /// The first interface of class 0xFE subclass 0x03, with its bulk endpoints.
    static func usbtmcInterface(_ dev: OpaquePointer) -> (number: Int32, out: UInt8, in: UInt8, interruptIn: UInt8, protocol: UInt8)? {
        var config: UnsafeMutablePointer<libusb_config_descriptor>?
        guard libusb_get_config_descriptor(dev, 0, &config) == 0, let config else { return nil }
        defer { libusb_free_config_descriptor(config) }
        for i in 0..<Int(config.pointee.bNumInterfaces) {
            let iface = config.pointee.interface[i]
            guard iface.num_altsetting > 0 else { continue }
            let alt = iface.altsetting[0]
            guard alt.bInterfaceClass == 0xFE, alt.bInterfaceSubClass == 0x03 else { continue }
            var out: UInt8 = 0, inn: UInt8 = 0, interrupt: UInt8 = 0
            for e in 0..<Int(alt.bNumEndpoints) {
                let ep = alt.endpoint[e]
                switch ep.bmAttributes & 0x03 {
                case 2: if ep.bEndpointAddress & 0x80 != 0 { inn = ep.bEndpointAddress } else { out = ep.bEndpointAddress }
                case 3 where ep.bEndpointAddress & 0x80 != 0: interrupt = ep.bEndpointAddress
                default: continue
                }
            }
            if out != 0 && inn != 0 { return (Int32(alt.bInterfaceNumber), out, inn, interrupt, alt.bInterfaceProtocol) }
        }
        return nil
    }

    private var ms: UInt32 { UInt32(max(1, timeout.inPicoseconds / 1_000_000_000)) }

    private func openOnQueue() throws(TransportError) {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let n = libusb_get_device_list(context, &list)
        guard n >= 0, let list else { throw .notFound(port: name) }
        defer { libusb_free_device_list(list, 1) }
        var lastError: TransportError = .notFound(port: name)
        for i in 0..<n {
            guard let dev = list[i] else { continue }
            var desc = libusb_device_descriptor()
            guard libusb_get_device_descriptor(dev, &desc) == 0, desc.idVendor == vendorID, desc.idProduct == productID,
                  let iface = Self.usbtmcInterface(dev) else { continue }
            if let location, location.bus != Int(libusb_get_bus_number(dev)) || location.address != Int(libusb_get_device_address(dev)) {
                continue
            }
            var h: OpaquePointer?
            let rc = libusb_open(dev, &h)
            guard rc == 0, let h else {
                lastError = rc == LIBUSB_ERROR_ACCESS.rawValue ? .permissionDenied(port: name) : .notFound(port: name)
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 128)
            let len = libusb_get_string_descriptor_ascii(h, desc.iSerialNumber, &buffer, Int32(buffer.count))
            let serial = len > 0 ? String(decoding: buffer[..<Int(len)], as: UTF8.self) : ""
            if let wanted = serialNumber, wanted != serial { libusb_close(h); continue }
            guard libusb_claim_interface(h, iface.number) == 0 else { libusb_close(h); lastError = .busy(port: name); continue }
            handle = h
            interfaceNumber = iface.number
            bulkOut = iface.out
            bulkIn = iface.in
            interruptIn = iface.interruptIn
            deviceSerial = serial
            try initialise()
            return
        }
        throw lastError
    }

    /// INITIATE_CLEAR → CHECK_CLEAR_STATUS → clear-halt → GET_CAPABILITIES → REN_CONTROL.
    private func initialise() throws(TransportError) {
        try clearOnQueue()
        var caps = [UInt8](repeating: 0, count: 24)
        guard try control(0xA1, 7, 0, UInt16(interfaceNumber), &caps) >= 24, caps[0] == 0x01 else {
            throw .malformedReply(port: name, reply: caps)
        }
        capabilities = USBTMCCapabilities(raw: caps)
        if capabilities.renControl {
            var status = [UInt8](repeating: 0, count: 1)
            _ = try control(0xA1, 160, 1, UInt16(interfaceNumber), &status)
        }
    }

    private func clearOnQueue() throws(TransportError) {
        var status = [UInt8](repeating: 0, count: 1)
        _ = try control(0xA1, 5, 0, UInt16(interfaceNumber), &status)
        var check = [UInt8](repeating: 0, count: 2)
        for _ in 0..<50 {
            _ = try control(0xA1, 6, 0, UInt16(interfaceNumber), &check)
            if check[0] != 0x02 { break }
            usleep(2_000)
        }
        guard let handle else { throw .disconnected(port: name) }
        libusb_clear_halt(handle, bulkOut)
        libusb_clear_halt(handle, bulkIn)
    }

    /// A class control-IN request; returns the bytes received.
    private func control(_ type: UInt8, _ request: UInt8, _ value: UInt16, _ index: UInt16, _ data: inout [UInt8]) throws(TransportError) -> Int {
        guard let handle else { throw .disconnected(port: name) }
        let rc = libusb_control_transfer(handle, type, request, value, index, &data, UInt16(data.count), ms)
        if rc == LIBUSB_ERROR_NO_DEVICE.rawValue { drop(); throw .disconnected(port: name) }
        if rc < 0 {
            throw rc == LIBUSB_ERROR_TIMEOUT.rawValue ? .timeout(port: name, after: timeout, partial: []) : .malformedReply(port: name, reply: [])
        }
        return Int(rc)
    }

    /// Whether the open device's usbfs node still exists.
    private var deviceNodeExists: Bool {
        guard let handle, let dev = libusb_get_device(handle) else { return false }
        return FileManager.default.fileExists(atPath: String(format: "/dev/bus/usb/%03d/%03d", libusb_get_bus_number(dev),
                                                             libusb_get_device_address(dev)))
    }

    private func drop() {
        if let handle { libusb_close(handle) }
        handle = nil
    }

    private func nextTag() -> UInt8 {
        tag = tag == 255 ? 1 : tag + 1
        return tag
    }

    private func bulk(_ endpoint: UInt8, _ data: inout [UInt8]) throws(TransportError) -> Int {
        try transfer(endpoint, &data, libusb_bulk_transfer)
    }

    /// One transfer from the interrupt-IN endpoint.
    private func interrupt(_ data: inout [UInt8]) throws(TransportError) -> Int {
        try transfer(interruptIn, &data, libusb_interrupt_transfer)
    }

    /// A synchronous libusb transfer (`libusb_bulk_transfer` or `libusb_interrupt_transfer`), its return
    /// code mapped to the transport's errors.
    private func transfer(_ endpoint: UInt8, _ data: inout [UInt8],
                          _ call: (OpaquePointer?, UInt8, UnsafeMutablePointer<UInt8>?, Int32, UnsafeMutablePointer<Int32>?, UInt32) -> Int32)
        throws(TransportError) -> Int
    {
        guard let handle else { throw .disconnected(port: name) }
        var transferred: Int32 = 0
        let rc = call(handle, endpoint, &data, Int32(data.count), &transferred, ms)
        switch rc {
        case 0: return Int(transferred)
        case LIBUSB_ERROR_TIMEOUT.rawValue:
            // A device that was pulled can leave its transfers pending; its node is gone then.
            if !deviceNodeExists { drop(); throw .disconnected(port: name) }
            throw .timeout(port: name, after: timeout, partial: Array(data.prefix(Int(transferred))))
        case LIBUSB_ERROR_NO_DEVICE.rawValue, LIBUSB_ERROR_IO.rawValue: drop(); throw .disconnected(port: name)
        case LIBUSB_ERROR_PIPE.rawValue:
            libusb_clear_halt(handle, endpoint)
            throw .malformedReply(port: name, reply: Array("STALL on endpoint \(endpoint)".utf8))
        default: throw .malformedReply(port: name, reply: Array("libusb error \(rc)".utf8))
        }
    }

    // MARK: - Messages

    private func sendOnQueue(_ bytes: [UInt8]) throws(TransportError) {
        if handle == nil { try openOnQueue() }
        let t = nextTag()
        let n = bytes.count
        var packet: [UInt8] = [1, t, ~t, 0, UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24), 0x01, 0, 0, 0]
        packet += bytes
        while packet.count % 4 != 0 { packet.append(0) }
        _ = try bulk(bulkOut, &packet)
    }

    private func receiveOnQueue() throws(TransportError) -> [UInt8] {
        var message: [UInt8] = []
        while true {
            let t = nextTag()
            let termChar = capabilities.termCharSupported
            let n = Self.maxRead
            var request: [UInt8] = [2, t, ~t, 0, UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), 0, 0, termChar ? 0x02 : 0, 0x0A, 0, 0]
            _ = try bulk(bulkOut, &request)
            var buffer = [UInt8](repeating: 0, count: 12 + n + 3)
            let got: Int
            do { got = try bulk(bulkIn, &buffer) } catch {
                if case .timeout = error { abortBulkIn(tag: t) }
                throw error
            }
            guard let header = USBTMCBulkInHeader.parse(buffer.prefix(max(0, got)), tag: t, requested: n) else {
                try? clearOnQueue()
                throw .malformedReply(port: name, reply: Array(buffer.prefix(max(0, got))))
            }
            let size = header.transferSize
            var payload = Array(buffer[12..<min(got, 12 + size)])
            // A reply may span several transfers.
            while payload.count < size {
                var more = [UInt8](repeating: 0, count: size - payload.count + 3)
                let m = try bulk(bulkIn, &more)
                payload += more.prefix(min(m, size - payload.count))
            }
            message += payload
            if header.endOfMessage { return message }
        }
    }

    /// INITIATE_ABORT_BULK_IN for `tag`, read the short packet that ends the transfer, then poll
    /// CHECK_ABORT_BULK_IN_STATUS until the device is done.
    private func abortBulkIn(tag: UInt8) {
        var status = [UInt8](repeating: 0, count: 2)
        guard (try? control(0xA2, 3, UInt16(tag), UInt16(bulkIn), &status)) != nil, status[0] == 0x01 else { return }
        var drain = [UInt8](repeating: 0, count: 64)
        _ = try? bulk(bulkIn, &drain)
        var check = [UInt8](repeating: 0, count: 8)
        for _ in 0..<50 {
            guard (try? control(0xA2, 4, 0, UInt16(bulkIn), &check)) != nil, check[0] == 0x02 else { return }
            usleep(2_000)
        }
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable () throws(TransportError) -> T) async throws(TransportError) -> T {
        let result: Result<T, TransportError> = await withCheckedContinuation { c in
            queue.async {
                do throws(TransportError) { c.resume(returning: .success(try body())) } catch { c.resume(returning: .failure(error)) }
            }
        }
        return try result.get()
    }

    /// Sends one message (EOM set).
    public func write(_ message: String) async throws(TransportError) {
        try await run { () throws(TransportError) in try self.sendOnQueue(Array(message.utf8)) }
    }

    /// Reads one whole reply.
    public func read() async throws(TransportError) -> String {
        let bytes = try await run { () throws(TransportError) -> [UInt8] in try self.receiveOnQueue() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Sends a query and reads its reply, without the trailing newline.
    public func query(_ message: String) async throws(TransportError) -> String {
        let bytes = try await run { () throws(TransportError) -> [UInt8] in
            try self.sendOnQueue(Array(message.utf8))
            return try self.receiveOnQueue()
        }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// READ_STATUS_BYTE (USB488 §4.3.1). Its bTag runs 2…127. A device without an interrupt-IN endpoint
    /// returns the status byte as the control reply's third byte; one with an interrupt-IN endpoint
    /// leaves that byte reserved and sends the status byte as an interrupt-IN notification, bNotify1 =
    /// 0x80 | bTag, bNotify2 = the status byte (USB488 §3.4.2), which is read here.
    public func readStatusByte() async throws(TransportError) -> UInt8 {
        try await run { () throws(TransportError) -> UInt8 in
            if self.handle == nil { try self.openOnQueue() }
            var reply = [UInt8](repeating: 0, count: 3)
            self.statusTag = self.statusTag >= 127 ? 2 : self.statusTag + 1
            let t = self.statusTag
            guard try self.control(0xA1, 128, UInt16(t), UInt16(self.interfaceNumber), &reply) >= 3, reply[0] == 0x01, reply[1] == t else {
                throw .malformedReply(port: self.name, reply: reply)
            }
            guard self.interruptIn != 0 else { return reply[2] }
            var notification = [UInt8](repeating: 0, count: 2)
            let n = try self.interrupt(&notification)
            guard n == 2, notification[0] == 0x80 | t else { throw .malformedReply(port: self.name, reply: Array(notification.prefix(n))) }
            return notification[1]
        }
    }

    /// INITIATE_CLEAR / CHECK_CLEAR_STATUS and clear-halt: both buffers of the device are emptied.
    public func clear() async throws(TransportError) {
        try await run { () throws(TransportError) in try self.clearOnQueue() }
    }
}
