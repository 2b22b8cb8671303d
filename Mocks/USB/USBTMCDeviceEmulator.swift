import Foundation
import IonLink
import Synchronization

/// An instrument's message layer behind a USBTMC interface: a whole message in, a reply (for queries) out.
public protocol SCPIMessageHandler: AnyObject, Sendable {
    func handle(_ message: String) -> String?
}

/// Faults a USBTMC device injects, counted down.
public struct USBTMCFaultPlan: Sendable, Hashable {
    /// Next bulk-IN replies sent with a corrupted header (MsgID byte).
    public var garbleHeaders = 0
    /// Next bulk-IN replies sent with the wrong bTag.
    public var wrongTags = 0
    /// Next bulk-IN transfers answered with a STALL.
    public var stalls = 0
    /// Next replies lost (the bulk-IN transfer never completes: the host times out and aborts).
    public var dropReplies = 0
    /// Next bulk-IN replies cut to 6 bytes (a short header).
    public var shortHeaders = 0
    public init() {}
}

/// A USBTMC / USB488 device, as the USB-IF USBTMC 1.0 and USB488 1.0 specifications describe it:
/// - bulk-OUT messages carry a 12-byte header (MsgID, bTag, ~bTag, 0, TransferSize LE, attributes with
///   bit 0 EOM) and a payload padded to 4 bytes; MsgID 1 DEV_DEP_MSG_OUT, 2 REQUEST_DEV_DEP_MSG_IN
///   (TransferSize = most bytes wanted, attribute bit 1 TermChar enabled, byte 9 TermChar), 128 TRIGGER;
/// - the bulk-IN reply to a request is DEV_DEP_MSG_IN with the request's bTag, EOM on the last part;
/// - class requests on endpoint 0: INITIATE_CLEAR 5, CHECK_CLEAR_STATUS 6, GET_CAPABILITIES 7 (24 bytes,
///   USB488 capabilities in bytes 14–15), READ_STATUS_BYTE 128, REN_CONTROL 160, GO_TO_LOCAL 161,
///   LOCAL_LOCKOUT 162; INITIATE_ABORT_BULK_OUT 1 / IN 3 and CHECK_ABORT_* 2 / 4 on the endpoints;
///   status 0x01 success, 0x02 pending, 0x80 failed, 0x81 transfer not in progress;
/// - with its interrupt-IN endpoint (the default), READ_STATUS_BYTE's reply is (status, bTag, reserved 0)
///   and the status byte (MAV, bit 4, while a reply waits) arrives on interrupt-IN as (0x80 | bTag, STB);
///   without one, the reply's third byte is the status byte;
/// - standard GET_DESCRIPTOR for its strings; anything else stalls.
public final class USBTMCDeviceEmulator: USBDeviceEmulator {
    public let vendorID: UInt16, productID: UInt16
    public let manufacturer: String, product: String, serialNumber: String
    public let faults = Mutex(USBTMCFaultPlan())
    private let instrument: any SCPIMessageHandler

    struct State {
        var incoming: [UInt8] = []
        var output: [UInt8] = []
        var request: (tag: UInt8, max: Int)?
        var pendingIn: [@Sendable (Int32, [UInt8]) -> Bool] = []
        /// After INITIATE_ABORT_BULK_IN: the short packet that ends the aborted transfer, for the next bulk-IN.
        var shortPacketDue = false
        var lastOutTag: UInt8 = 0
        var remote = false
        /// Interrupt-IN transfers the host has submitted, and notifications waiting for one.
        var pendingInterrupt: [@Sendable (Int32, [UInt8]) -> Bool] = []
        var notifications: [[UInt8]] = []
        /// IEEE 488.2 status byte: MAV (bit 4) while a reply waits to be read.
        var statusByte: UInt8 { output.isEmpty ? 0 : 0x10 }
    }
    private let state = Mutex(State())

    public static let bulkOut: UInt8 = 0x02, bulkIn: UInt8 = 0x81, interruptIn: UInt8 = 0x83

    /// Whether the interface has its interrupt-IN endpoint (most USB488 instruments do; without it the
    /// status byte comes in READ_STATUS_BYTE's reply).
    public let hasInterruptIn: Bool

    public init(vendorID: UInt16, productID: UInt16, manufacturer: String, product: String, serialNumber: String,
                instrument: any SCPIMessageHandler, hasInterruptIn: Bool = true) {
        self.hasInterruptIn = hasInterruptIn
        self.vendorID = vendorID
        self.productID = productID
        self.manufacturer = manufacturer
        self.product = product
        self.serialNumber = serialNumber
        self.instrument = instrument
    }

    public var descriptors: [UInt8] {
        let device: [UInt8] = [18, 1, 0x00, 0x02, 0, 0, 0, 64, UInt8(vendorID & 0xFF), UInt8(vendorID >> 8),
                               UInt8(productID & 0xFF), UInt8(productID >> 8), 0x00, 0x01, 1, 2, 3, 1]
        let count: UInt8 = hasInterruptIn ? 3 : 2
        let config: [UInt8] = [9, 2, 9 + 9 + 7 * count, 0, 1, 1, 0, 0x80, 50]
        let interface: [UInt8] = [9, 4, 0, 0, count, 0xFE, 0x03, 0x01, 0]
        let endpoints: [UInt8] = [7, 5, Self.bulkOut, 2, 64, 0, 0,
                                  7, 5, Self.bulkIn, 2, 64, 0, 0]
            + (hasInterruptIn ? [7, 5, Self.interruptIn, 3, 8, 0, 1] : [])
        return device + config + interface + endpoints
    }

    public func submit(_ urb: SubmittedURB, complete: @escaping @Sendable (Int32, [UInt8]) -> Bool) {
        switch (urb.type, urb.endpoint) {
        case (2, _): control(urb.buffer, complete)
        case (3, Self.bulkOut): bulkOut(urb.buffer, complete)
        case (3, Self.bulkIn):
            state.withLock { $0.pendingIn.append(complete) }
            serve()
        case (1, Self.interruptIn) where hasInterruptIn:
            // Stays pending until a notification is due (service requests are not raised).
            state.withLock { $0.pendingInterrupt.append(complete) }
            notify()
        default: _ = complete(-EPIPE, [])
        }
    }

    // MARK: - Bulk

    private func bulkOut(_ bytes: [UInt8], _ complete: @Sendable (Int32, [UInt8]) -> Bool) {
        guard bytes.count >= 12, bytes[1] == ~bytes[2] else { _ = complete(-EPIPE, []); return }
        let msgID = bytes[0], tag = bytes[1]
        let size = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
        _ = complete(0, [])
        switch msgID {
        case 1:
            let payload = Array(bytes.dropFirst(12).prefix(size))
            var message: String?
            state.withLock { s in
                s.lastOutTag = tag
                s.incoming += payload
                if bytes[8] & 0x01 != 0 {
                    message = String(decoding: s.incoming, as: UTF8.self)
                    s.incoming = []
                }
            }
            if let message, let reply = instrument.handle(message) {
                state.withLock { $0.output += Array(reply.utf8) }
            }
        case 2:
            state.withLock { $0.request = (tag, size) }
        default: break  // TRIGGER and vendor messages
        }
        serve()
    }

    /// Answers pending bulk-IN transfers: a due short packet first, then a reply when there is a request
    /// and data for it. A transfer the host has discarded meanwhile is skipped and its data kept.
    private func serve() {
        while true {
            var plan = USBTMCFaultPlan()
            typealias Work = (complete: @Sendable (Int32, [UInt8]) -> Bool, status: Int32, packet: [UInt8], chunk: [UInt8],
                              request: (tag: UInt8, max: Int)?)
            let work: Work? = state.withLock { s in
                guard !s.pendingIn.isEmpty else { return nil }
                if s.shortPacketDue {
                    s.shortPacketDue = false
                    return (s.pendingIn.removeFirst(), 0, [], [], nil)
                }
                guard let req = s.request, !s.output.isEmpty else { return nil }
                plan = faults.withLock { f in
                    let now = f
                    if f.dropReplies > 0 { f.dropReplies -= 1 } else if f.stalls > 0 { f.stalls -= 1 }
                    else if f.garbleHeaders > 0 { f.garbleHeaders -= 1 } else if f.wrongTags > 0 { f.wrongTags -= 1 }
                    else if f.shortHeaders > 0 { f.shortHeaders -= 1 }
                    return now
                }
                if plan.dropReplies > 0 {
                    s.output = []
                    s.request = nil
                    return nil
                }
                let n = min(s.output.count, req.max, 64 * 64 - 12)
                let chunk = Array(s.output.prefix(n))
                s.output.removeFirst(n)
                s.request = nil
                let tag = plan.wrongTags > 0 ? req.tag &+ 1 : req.tag
                var packet: [UInt8] = [plan.garbleHeaders > 0 ? 0x7F : 2, tag, ~tag, 0,
                                       UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24),
                                       s.output.isEmpty ? 1 : 0, 0, 0, 0]
                packet += chunk
                while packet.count % 4 != 0 { packet.append(0) }
                if plan.shortHeaders > 0 { packet = Array(packet.prefix(6)) }
                return (s.pendingIn.removeFirst(), plan.stalls > 0 ? -EPIPE : 0, plan.stalls > 0 ? [] : packet, chunk, req)
            }
            guard let work else { return }
            if work.complete(work.status, work.packet) { return }
            // The host had given up on that transfer: keep the reply for the next one.
            state.withLock { s in
                if work.request == nil { s.shortPacketDue = true } else {
                    s.output = work.chunk + s.output
                    s.request = work.request
                }
            }
        }
    }

    /// Delivers the oldest waiting notification to the oldest pending interrupt-IN transfer.
    private func notify() {
        while true {
            let work = state.withLock { s -> (complete: @Sendable (Int32, [UInt8]) -> Bool, packet: [UInt8])? in
                guard !s.pendingInterrupt.isEmpty, !s.notifications.isEmpty else { return nil }
                return (s.pendingInterrupt.removeFirst(), s.notifications.removeFirst())
            }
            guard let work else { return }
            // A transfer the host gave up on keeps the notification for the next one.
            if !work.complete(0, work.packet) { state.withLock { $0.notifications.insert(work.packet, at: 0) } }
        }
    }

    // MARK: - Control

    private func control(_ buffer: [UInt8], _ complete: @Sendable (Int32, [UInt8]) -> Bool) {
        guard buffer.count >= 8 else { _ = complete(-EPIPE, []); return }
        let requestType = buffer[0], request = buffer[1]
        let value = UInt16(buffer[2]) | UInt16(buffer[3]) << 8
        let length = Int(UInt16(buffer[6]) | UInt16(buffer[7]) << 8)
        func reply(_ bytes: [UInt8]) { _ = complete(0, Array(bytes.prefix(length))) }
        switch (requestType, request) {
        case (0x80, 6) where value >> 8 == 3:   // GET_DESCRIPTOR(STRING)
            let index = Int(value & 0xFF)
            if index == 0 { reply([4, 3, 0x09, 0x04]); return }
            let strings = [manufacturer, product, serialNumber]
            guard index <= strings.count else { _ = complete(-EPIPE, []); return }
            let utf16 = strings[index - 1].utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            reply([UInt8(2 + utf16.count), 3] + utf16)
        case (0x80, 6) where value >> 8 == 1: reply(Array(descriptors.prefix(18)))
        case (0x80, 6) where value >> 8 == 2: reply(Array(descriptors.dropFirst(18)))
        case (0x02, 1), (0x00, 9), (0x01, 11): _ = complete(0, [])          // CLEAR_FEATURE(halt), SET_CONFIGURATION, SET_INTERFACE
        case (0xA1, 5):                                                   // INITIATE_CLEAR
            state.withLock { s in s.incoming = []; s.output = []; s.request = nil }
            reply([0x01])
        case (0xA1, 6): reply([0x01, 0x00])                               // CHECK_CLEAR_STATUS
        case (0xA1, 7):                                                   // GET_CAPABILITIES
            var caps = [UInt8](repeating: 0, count: 24)
            caps[0] = 0x01; caps[2] = 0x00; caps[3] = 0x01                // bcdUSBTMC 1.00
            caps[5] = 0x01                                                // TermChar supported
            caps[12] = 0x00; caps[13] = 0x01                              // bcdUSB488 1.00
            caps[14] = 0x06                                               // 488.2 interface, REN/GTL/LLO
            caps[15] = 0x0F                                               // SCPI, SR1, RL1, DT1
            reply(caps)
        case (0xA1, 128):                                                 // READ_STATUS_BYTE
            // USB488 §4.3.1: with an interrupt-IN endpoint the reply's third byte is reserved, and the
            // status byte goes out on interrupt-IN as bNotify1 = 0x80 | bTag, bNotify2 = STB (§3.4.2).
            let tag = UInt8(value & 0x7F)
            guard hasInterruptIn else { reply([0x01, tag, state.withLock { $0.statusByte }]); return }
            state.withLock { $0.notifications.append([0x80 | tag, $0.statusByte]) }
            reply([0x01, tag, 0x00])
            notify()
        case (0xA1, 160), (0xA1, 161), (0xA1, 162):                       // REN_CONTROL, GO_TO_LOCAL, LOCAL_LOCKOUT
            state.withLock { $0.remote = request != 161 }
            reply([0x01])
        case (0xA2, 1):                                                   // INITIATE_ABORT_BULK_OUT
            let tag = state.withLock { s -> UInt8 in s.incoming = []; return s.lastOutTag }
            reply([0x01, tag])
        case (0xA2, 2), (0xA2, 4): reply([0x01, 0, 0, 0, 0, 0, 0, 0])     // CHECK_ABORT_BULK_OUT/IN_STATUS
        case (0xA2, 3):                                                   // INITIATE_ABORT_BULK_IN
            // The aborted transfer ends with a short packet, on the host's next bulk-IN if the first is gone.
            let tag = state.withLock { s -> UInt8 in
                let t = s.request?.tag ?? 0
                s.output = []; s.request = nil; s.shortPacketDue = true
                return t
            }
            reply([0x01, tag])
            serve()
        default: _ = complete(-EPIPE, [])
        }
    }
}
