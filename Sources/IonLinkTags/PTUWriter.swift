#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import IonLink

/// Writes a HydraHarp v2 T2 PTU file (1 ps resolution, as PicoQuant's software and tttrlib read it)
/// batch by batch, holding only the batch: the header's record count and input count are written when
/// the file is finished. Tags of `syncChannel` become sync records; detector channels become inputs
/// numbered from 1 (channel c is input c when the sync is channel 0, else input c + 1), so reading the
/// file back gives channel 0 for the sync and the input number for each click.
public final class PTUWriter {
    enum Sink {
        case memory
        case file(Int32, path: String)
    }

    let sink: Sink
    let syncChannel: Int32
    /// The file's bytes, when written to memory; else the records not yet written out.
    private(set) var bytes: [UInt8] = []
    private var records = 0
    private var inputs = 1
    private var base: Int64 = 0
    private var last: Int64 = 0
    private var finished = false
    /// Byte offsets of the values of the header's `TTResult_NumberOfRecords` and `HW_InpChannels`.
    private var recordsAt = 0, inputsAt = 0
    static let wrap: Int64 = 33_554_432

    /// A file written to memory (``finish()`` returns it).
    public init(syncChannel: Int32 = 0, comment: String = "IonLink") {
        sink = .memory
        self.syncChannel = syncChannel
        writeHeader(comment: comment)
    }

    /// A file at `url`, created or truncated.
    /// - Throws: ``TTTRFileError/unreadable(message:)`` when it cannot be created.
    public init(url: URL, syncChannel: Int32 = 0, comment: String = "IonLink") throws(TTTRFileError) {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unreadable(message: "cannot create \(url.path): \(String(cString: strerror(errno)))") }
        sink = .file(fd, path: url.path)
        self.syncChannel = syncChannel
        writeHeader(comment: comment)
        try flush()
    }

    deinit { if case let .file(fd, _) = sink { close(fd) } }

    /// Appends tags (in time order, none before the last written).
    /// - Throws: ``TTTRFileError/nonMonotonicTime(offset:previous:found:)`` for a tag before the last written
    ///   (or before 0), ``TTTRFileError/malformedHeader(offset:message:)`` for an input outside 1…64.
    public func write<Tags: Collection>(_ tags: Tags) throws(TTTRFileError) where Tags.Element == TimeTag {
        let shift: Int32 = syncChannel == 0 ? 0 : 1
        for t in tags {
            guard t.picoseconds >= last else { throw .nonMonotonicTime(offset: recordOffset, previous: last, found: t.picoseconds) }
            last = t.picoseconds
            let wraps = (t.picoseconds - base) / Self.wrap
            var left = wraps
            while left > 0 {
                let n = min(left, 0x01FF_FFFF)
                append(0x8000_0000 | UInt32(0x3F) << 25 | UInt32(n))
                left -= n
            }
            base += wraps * Self.wrap
            let timetag = UInt32(t.picoseconds - base)
            if t.channel == syncChannel {
                append(0x8000_0000 | timetag)
            } else {
                let input = t.channel + shift
                guard input >= 1 && input <= 64 else {
                    throw .malformedHeader(offset: recordOffset, message: "channel \(t.channel) is input \(input); PTU inputs are 1…64")
                }
                inputs = max(inputs, Int(input))
                append(UInt32(input - 1) << 25 | timetag)
            }
        }
        if case .file = sink, bytes.count >= 1 << 20 { try flush() }
    }

    /// Writes what is left and the header's counts; returns the file's bytes when written to memory.
    @discardableResult
    public func finish() throws(TTTRFileError) -> [UInt8] {
        guard !finished else { return bytes }
        finished = true
        switch sink {
        case .memory:
            patch(UInt64(records), at: recordsAt)
            patch(UInt64(inputs), at: inputsAt)
            return bytes
        case let .file(fd, path):
            try flush()
            for (value, at) in [(UInt64(records), recordsAt), (UInt64(inputs), inputsAt)] {
                var le = value.littleEndian
                guard pwrite(fd, &le, 8, off_t(at)) == 8 else {
                    throw .unreadable(message: "cannot write \(path): \(String(cString: strerror(errno)))")
                }
            }
            return []
        }
    }

    /// The byte offset the next record will have.
    private var recordOffset: Int { headerBytes + 4 * records }
    private var headerBytes = 0

    private func append(_ r: UInt32) {
        withUnsafeBytes(of: r.littleEndian) { bytes.append(contentsOf: $0) }
        records += 1
    }

    private func patch(_ value: UInt64, at offset: Int) {
        for i in 0..<8 { bytes[offset + i] = UInt8((value >> (8 * UInt64(i))) & 0xFF) }
    }

    private func flush() throws(TTTRFileError) {
        guard case let .file(fd, path) = sink, !bytes.isEmpty else { return }
        let failed = bytes.withUnsafeBytes { raw -> Bool in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return true }
                done += n
            }
            return false
        }
        guard !failed else { throw .unreadable(message: "cannot write \(path): \(String(cString: strerror(errno)))") }
        bytes.removeAll(keepingCapacity: true)
    }

    private func writeHeader(comment: String) {
        var out = PTUFile.magic + Array("1.0.00\0\0".utf8)
        func tag(_ name: String, _ type: PTUFile.TagType, _ value: UInt64, payload: [UInt8] = []) {
            var ident = Array(name.utf8.prefix(31))
            ident += [UInt8](repeating: 0, count: 32 - ident.count)
            out += ident
            out += withUnsafeBytes(of: Int32(-1).littleEndian, Array.init)
            out += withUnsafeBytes(of: type.rawValue.littleEndian, Array.init)
            out += withUnsafeBytes(of: value.littleEndian, Array.init)
            out += payload
        }
        var text = Array(comment.utf8) + [0]
        while text.count % 8 != 0 { text.append(0) }
        tag("File_Comment", .ansiString, UInt64(text.count), payload: text)
        tag("Measurement_Mode", .int8, 2)
        tag("Measurement_SubMode", .int8, 0)
        tag("TTResultFormat_TTTRRecType", .int8, UInt64(PTURecordType.hydraHarpV2T2.rawValue))
        tag("TTResultFormat_BitsPerRecord", .int8, 32)
        tag("MeasDesc_GlobalResolution", .float8, (1e-12).bitPattern)
        tag("MeasDesc_Resolution", .float8, (1e-12).bitPattern)
        inputsAt = out.count + 40
        tag("HW_InpChannels", .int8, 1)
        tag("TTResult_SyncRate", .int8, 0)
        recordsAt = out.count + 40
        tag("TTResult_NumberOfRecords", .int8, 0)
        tag("Header_End", .empty8, 0)
        headerBytes = out.count
        bytes = out
    }
}
