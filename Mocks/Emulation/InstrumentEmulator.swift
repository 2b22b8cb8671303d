/// A wire-level model of one instrument: the bytes a host sends in, the bytes the instrument sends out.
///
/// Emulators are written from the instrument's manual, never from IonLink's drivers.
public protocol InstrumentEmulator: AnyObject {
    /// Consumes bytes from the host and returns the reply units the instrument sends, in order
    /// (one unit per command; a unit may be empty for commands that get no reply).
    func receive(_ bytes: [UInt8]) -> [[UInt8]]
}

/// An emulator that also sends on its own between commands, as a time tagger streams until told to stop.
/// A port serving it asks for ``streamed()`` every few tens of milliseconds while ``isStreaming``.
public protocol StreamingEmulator: InstrumentEmulator {
    /// Whether a stream is running.
    var isStreaming: Bool { get }
    /// The bytes the stream has produced since the last call (empty when none is running).
    func streamed() -> [UInt8]
}

/// Splits a byte stream into command lines ended by CR, LF or CR LF.
public struct CommandLineSplitter {
    private var buffer: [UInt8] = []
    /// Whether an empty line is a command of its own (an instrument that answers it) rather than skipped.
    private let keepsEmptyLines: Bool
    /// The last terminator was a CR, so an LF right after it (in this read or the next) ends nothing.
    private var afterCR = false

    public init(keepsEmptyLines: Bool = false) { self.keepsEmptyLines = keepsEmptyLines }

    /// Appends bytes and returns every complete line (without terminators); empty lines are skipped
    /// unless ``keepsEmptyLines`` (a CR LF pair then ends one line, not two).
    public mutating func lines(from bytes: [UInt8]) -> [String] {
        buffer += bytes
        var out: [String] = []
        while let end = buffer.firstIndex(where: { $0 == 0x0D || $0 == 0x0A }) {
            let terminator = buffer[end]
            let line = buffer[..<end]
            buffer.removeFirst(end + 1)
            defer { afterCR = terminator == 0x0D }
            if line.isEmpty && terminator == 0x0A && afterCR { continue }
            if !line.isEmpty || keepsEmptyLines { out.append(String(decoding: line, as: UTF8.self)) }
        }
        return out
    }
}
