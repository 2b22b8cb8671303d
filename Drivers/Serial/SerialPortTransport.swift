import CLibSerialPort
import Dispatch
import Foundation
import IonLink

/// A serial port opened through libserialport, as a ``ByteTransport``.
///
/// Blocking libserialport calls run on the port's own dispatch queue, never on Swift's cooperative
/// pool; every read has a timeout.
public final class SerialPortTransport: ByteTransport, @unchecked Sendable {
    // @unchecked: `port` is only touched on `queue`.
    public let port: String
    public let settings: SerialSettings
    private let queue: DispatchQueue
    private var handle: OpaquePointer?

    /// Opens `path` (e.g. `/dev/ttyUSB0`) with `settings`.
    public init(path: String, settings: SerialSettings) throws(TransportError) {
        port = path
        self.settings = settings
        queue = DispatchQueue(label: "ionlink.serial.\(path)")
        handle = try Self.open(path: path, settings: settings)
    }

    deinit {
        if let handle {
            sp_close(handle)
            sp_free_port(handle)
        }
    }

    private static func open(path: String, settings: SerialSettings) throws(TransportError) -> OpaquePointer {
        var p: OpaquePointer?
        guard sp_get_port_by_name(path, &p) == SP_OK, let p else { throw .notFound(port: path) }
        guard sp_open(p, SP_MODE_READ_WRITE) == SP_OK else {
            let code = sp_last_error_code()
            sp_free_port(p)
            switch code {
            case EACCES, EPERM: throw .permissionDenied(port: path)
            case EBUSY: throw .busy(port: path)
            case ENOENT, ENODEV, ENXIO: throw .notFound(port: path)
            default: throw .disconnected(port: path)
            }
        }
        let parity: sp_parity = switch settings.parity {
        case .none: SP_PARITY_NONE
        case .odd: SP_PARITY_ODD
        case .even: SP_PARITY_EVEN
        }
        let flow: sp_flowcontrol = switch settings.flowControl {
        case .none: SP_FLOWCONTROL_NONE
        case .rtsCts: SP_FLOWCONTROL_RTSCTS
        case .xonXoff: SP_FLOWCONTROL_XONXOFF
        }
        guard sp_set_baudrate(p, Int32(settings.baudRate)) == SP_OK, sp_set_bits(p, Int32(settings.dataBits)) == SP_OK,
              sp_set_parity(p, parity) == SP_OK, sp_set_stopbits(p, Int32(settings.stopBits)) == SP_OK,
              sp_set_flowcontrol(p, flow) == SP_OK else {
            sp_close(p)
            sp_free_port(p)
            throw .malformedReply(port: path, reply: Array("cannot apply \(settings)".utf8))
        }
        return p
    }

    /// Runs `body` with the open port on the port's queue.
    private func onQueue<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer?) -> T) async -> T {
        await withCheckedContinuation { (c: CheckedContinuation<T, Never>) in
            queue.async { [self] in c.resume(returning: body(handle)) }
        }
    }

    public func write(_ bytes: [UInt8]) async throws(TransportError) {
        let port = port
        let result: Int32 = await onQueue { handle in
            guard let handle else { return -1 }
            return bytes.withUnsafeBytes { buf in sp_blocking_write(handle, buf.baseAddress, buf.count, 1000).rawValue }
        }
        guard result == Int32(bytes.count) else { throw .disconnected(port: port) }
    }

    public func read(timeout: Duration) async throws(TransportError) -> [UInt8] {
        let ms = UInt32(max(1, min(Int64(UInt32.max), timeout.inPicoseconds / 1_000_000_000)))
        let result: (Int32, [UInt8], Int32) = await onQueue { handle in
            guard let handle else { return (-1, [], 0) }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = buffer.withUnsafeMutableBytes { sp_blocking_read_next(handle, $0.baseAddress, $0.count, ms).rawValue }
            if n > 0 { return (n, Array(buffer[..<Int(n)]), 0) }
            if n == 0 { return (0, [], 0) }
            return (n, [], sp_last_error_code())
        }
        switch result.0 {
        case let n where n > 0: return result.1
        case 0:
            // A USB-serial adapter that was pulled leaves an open fd that just stays silent; its device
            // node is gone, which tells a disconnect from a slow instrument.
            if !FileManager.default.fileExists(atPath: port) { throw .disconnected(port: port) }
            throw .timeout(port: port, after: timeout, partial: [])
        default: throw .disconnected(port: port)
        }
    }

    public func flushInput() async {
        _ = await onQueue { handle in handle.map { sp_flush($0, SP_BUF_INPUT).rawValue } ?? 0 }
    }

    /// Closes the port; later reads and writes fail as disconnected.
    public func close() async {
        _ = await onQueue { [self] _ in
            if let handle {
                sp_close(handle)
                sp_free_port(handle)
            }
            handle = nil
            return 0
        }
    }
}
