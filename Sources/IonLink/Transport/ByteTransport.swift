/// A bidirectional byte stream to one instrument: the seam every driver is written against, so the
/// same driver runs over libserialport, libusb or an in-memory emulator.
public protocol ByteTransport: Sendable {
    /// The port's name for errors and logs.
    var port: String { get }
    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) async throws(TransportError)
    /// Returns at least one byte, waiting at most `timeout`.
    func read(timeout: Duration) async throws(TransportError) -> [UInt8]
    /// Discards anything received but not yet read (after an error, before a new command).
    func flushInput() async
}
