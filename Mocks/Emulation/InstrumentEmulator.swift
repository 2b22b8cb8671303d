/// A wire-level model of one instrument: the bytes a host sends in, the bytes the instrument sends out.
///
/// Emulators are written from the instrument's manual, never from IonLink's drivers.
public protocol InstrumentEmulator: AnyObject {
    /// Consumes bytes from the host and returns the reply units the instrument sends, in order
    /// (one unit per command; a unit may be empty for commands that get no reply).
    func receive(_ bytes: [UInt8]) -> [[UInt8]]
}

/// Splits a byte stream into command lines ended by CR, LF or CR LF.
public struct CommandLineSplitter {
    private var buffer: [UInt8] = []
    public init() {}

    /// Appends bytes and returns every complete line (without terminators); empty lines are skipped.
    public mutating func lines(from bytes: [UInt8]) -> [String] {
        buffer += bytes
        var out: [String] = []
        while let end = buffer.firstIndex(where: { $0 == 0x0D || $0 == 0x0A }) {
            let line = buffer[..<end]
            buffer.removeFirst(end + 1)
            if !line.isEmpty { out.append(String(decoding: line, as: UTF8.self)) }
        }
        return out
    }
}
