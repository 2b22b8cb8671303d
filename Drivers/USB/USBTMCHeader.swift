/// The 12-byte header of a USBTMC Bulk-IN transfer answering REQUEST_DEV_DEP_MSG_IN (USBTMC 1.0,
/// Table 9): MsgID 2, bTag and its inverse, TransferSize (little-endian, 4 bytes), bmTransferAttributes
/// (bit 0: EOM).
public struct USBTMCBulkInHeader: Sendable, Hashable {
    /// Payload bytes that follow the header in this transfer and the ones after it.
    public var transferSize: Int
    /// End of message: the reply is complete after this payload.
    public var endOfMessage: Bool

    /// Parses the first 12 bytes of a transfer. Nil when it is not a DEV_DEP_MSG_IN for `tag`, or when
    /// it announces more than the `requested` bytes the host asked for (the spec forbids that, and
    /// believing it would make the host wait for, or allocate, whatever a confused device claims).
    public static func parse(_ bytes: ArraySlice<UInt8>, tag: UInt8, requested: Int) -> USBTMCBulkInHeader? {
        guard bytes.count >= 12 else { return nil }
        let b = Array(bytes.prefix(12))
        guard b[0] == 2, b[1] == tag, b[2] == ~tag else { return nil }
        let size = Int(b[4]) | Int(b[5]) << 8 | Int(b[6]) << 16 | Int(b[7]) << 24
        guard size <= requested else { return nil }
        return USBTMCBulkInHeader(transferSize: size, endOfMessage: b[8] & 0x01 != 0)
    }
}
