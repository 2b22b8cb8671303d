import CHDF5
import Foundation

/// One open HDF5 file through libhdf5: groups, scalar attributes, string datasets and extendible
/// one-dimensional columns (chunked, unlimited) that grow by appending.
///
/// Files are created with the latest format so that a writer can switch to SWMR (single writer,
/// multiple readers) mode: libhdf5 then orders its metadata writes so that the file on disk is
/// consistent after every flush, and a killed writer leaves a file that opens with everything up
/// to its last flush (HDF5 User Guide, "Single-Writer/Multiple-Reader (SWMR)"). Not thread-safe (nor
/// is Debian's serial libhdf5): one owner at a time.
public final class HDF5File {
    public enum Mode: Sendable {
        /// Read only; refuses a file whose writer is still running or was killed.
        case read
        /// Read only in SWMR mode: also opens a file whose SWMR writer is running or was killed.
        case readWhileWritten
        /// Read and write, clearing the "open for writing" flags a killed writer left (as h5clear does).
        case resume
    }

    public let path: String
    private var id: hid_t
    private var open = true
    /// The file's libhdf5 identifier.
    var handle: hid_t { id }

    private init(path: String, id: hid_t) {
        self.path = path
        self.id = id
    }

    deinit { close() }

    private static func latestFormat() -> hid_t {
        _ = H5Eset_auto2(ionlink_h5e_default(), nil, nil)   // errors become thrown values, not stderr text
        let fapl = H5Pcreate(ionlink_h5p_file_access())
        _ = H5Pset_libver_bounds(fapl, ionlink_h5f_libver_latest(), ionlink_h5f_libver_latest())
        return fapl
    }

    /// Creates a new file; refuses to overwrite one.
    public static func create(_ path: String) throws(HDF5Error) -> HDF5File {
        let fapl = latestFormat()
        defer { H5Pclose(fapl) }
        let id = H5Fcreate(path, ionlink_h5f_acc_excl(), ionlink_h5p_default(), fapl)
        guard id >= 0 else { throw .cannotCreate(path: path) }
        return HDF5File(path: path, id: id)
    }

    /// Metadata read attempts of a SWMR reader (see ``open(_:mode:)``).
    static let swmrReadAttempts: UInt32 = 12

    public static func open(_ path: String, mode: Mode) throws(HDF5Error) -> HDF5File {
        guard FileManager.default.fileExists(atPath: path) else { throw .missing(path: path) }
        let fapl = latestFormat()
        defer { H5Pclose(fapl) }
        guard H5Fis_hdf5(path) > 0 else { throw .notHDF5(path: path) }
        // A file cut short would keep libhdf5's SWMR reader retrying (with doubling sleeps) forever.
        if let (size, needed) = Self.truncation(path) {
            throw .cannotOpen(path: path, reason: "truncated: \(size) bytes of the \(needed) its superblock records")
        }
        let flags: UInt32
        switch mode {
        case .read: flags = ionlink_h5f_acc_rdonly()
        case .readWhileWritten:
            flags = ionlink_h5f_acc_rdonly() | ionlink_h5f_acc_swmr_read()
            // A SWMR reader retries a metadata read whose checksum fails (the writer may be mid-write),
            // sleeping 1 ms, 2 ms, … up to 1 s between tries; libhdf5's default of 100 tries makes a damaged
            // file look like a hang of minutes. Twelve tries (about 4 s of sleeps) outlast any write in flight.
            _ = H5Pset_metadata_read_attempts(fapl, Self.swmrReadAttempts)
        case .resume:
            flags = ionlink_h5f_acc_rdwr()
            _ = ionlink_set_clear_status_flags(fapl)
        }
        let id = H5Fopen(path, flags, fapl)
        guard id >= 0 else {
            let reason = mode == .read
                ? "damaged or truncated, or still open for writing (a killed run's file opens with HDF5's SWMR read mode)"
                : "damaged or truncated"
            throw .cannotOpen(path: path, reason: reason)
        }
        return HDF5File(path: path, id: id)
    }

    /// The file's size and the end its superblock records, if the file is shorter (cut short); nil when it
    /// is whole or no superblock is found. The superblock is read as the HDF5 File Format Specification
    /// ("Superblock", versions 0–3) lays it out: at offset 0, 512, 1024, … after the signature
    /// `\x89HDF\r\n\x1a\n`, its end-of-file address relative to its base address.
    static func truncation(_ path: String) -> (size: UInt64, needed: UInt64)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return nil }
        let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        var at: UInt64 = 0
        while at + 96 <= size {
            guard (try? handle.seek(toOffset: at)) != nil, let block = try? handle.read(upToCount: 96) else { return nil }
            let b = [UInt8](block)
            if b.count == 96, Array(b[0..<8]) == signature {
                func address(_ offset: Int, _ width: Int) -> UInt64? {
                    guard (1...8).contains(width), offset + width <= b.count else { return nil }
                    return (0..<width).reduce(UInt64(0)) { $0 | UInt64(b[offset + $1]) << (8 * UInt64($1)) }
                }
                let version = b[8]
                let width: Int, base: Int
                switch version {
                case 0, 1: (width, base) = (Int(b[13]), version == 0 ? 24 : 28)
                case 2, 3: (width, base) = (Int(b[9]), 12)
                default: return nil
                }
                // Base address, then (v0/1) free-space address or (v2/3) extension address, then end of file.
                guard let start = address(base, width), let end = address(base + 2 * width, width), end != UInt64.max >> (64 - 8 * UInt64(width))
                else { return nil }
                let (needed, overflow) = start.addingReportingOverflow(end)
                return !overflow && needed > size ? (size, needed) : nil
            }
            at = at == 0 ? 512 : at * 2
        }
        return nil
    }

    /// From here on readers may open the file while it is written; no new object can be created.
    public func startSWMR() throws(HDF5Error) {
        guard H5Fstart_swmr_write(id) >= 0 else { throw .writeFailed(path: path, object: "SWMR mode") }
    }

    /// Writes everything buffered to disk (the file stays consistent if the process dies after this).
    public func flush() throws(HDF5Error) {
        guard H5Fflush(id, H5F_SCOPE_GLOBAL) >= 0 else { throw .writeFailed(path: path, object: "flush") }
    }

    public func close() {
        guard open else { return }
        open = false
        H5Fclose(id)
    }

    // MARK: Objects

    /// Whether every component of `name` (slash-separated, from the root) exists.
    public func exists(_ name: String) -> Bool {
        var prefix = ""
        for part in name.split(separator: "/") {
            prefix += "/" + part
            guard H5Lexists(id, prefix, ionlink_h5p_default()) > 0 else { return false }
        }
        return true
    }

    public func createGroup(_ name: String) throws(HDF5Error) {
        let g = H5Gcreate2(id, name, ionlink_h5p_default(), ionlink_h5p_default(), ionlink_h5p_default())
        guard g >= 0 else { throw .writeFailed(path: path, object: name) }
        H5Gclose(g)
    }

    private func openObject(_ name: String) throws(HDF5Error) -> hid_t {
        guard exists(name) else { throw .noSuchObject(path: path, object: name) }
        let o = H5Oopen(id, name, ionlink_h5p_default())
        guard o >= 0 else { throw .noSuchObject(path: path, object: name) }
        return o
    }

    // MARK: Attributes

    private func writeAttribute(_ name: String, on object: String, type: hid_t, _ body: (hid_t) -> herr_t) throws(HDF5Error) {
        let o = try openObject(object)
        defer { H5Oclose(o) }
        if H5Aexists(o, name) > 0 { H5Adelete(o, name) }
        let space = H5Screate(H5S_SCALAR)
        defer { H5Sclose(space) }
        let a = H5Acreate2(o, name, type, space, ionlink_h5p_default(), ionlink_h5p_default())
        guard a >= 0 else { throw .writeFailed(path: path, object: "\(object)@\(name)") }
        defer { H5Aclose(a) }
        guard body(a) >= 0 else { throw .writeFailed(path: path, object: "\(object)@\(name)") }
    }

    public func setAttribute(_ name: String, on object: String = "/", _ value: String) throws(HDF5Error) {
        let bytes = Array(value.utf8) + [0]
        let t = H5Tcopy(ionlink_h5t_c_s1())
        defer { H5Tclose(t) }
        H5Tset_size(t, bytes.count)
        H5Tset_cset(t, H5T_CSET_UTF8)
        try writeAttribute(name, on: object, type: t) { a in bytes.withUnsafeBytes { H5Awrite(a, t, $0.baseAddress) } }
    }

    public func setAttribute<T: HDF5Scalar>(_ name: String, on object: String = "/", _ value: T) throws(HDF5Error) {
        let v = [value]
        try writeAttribute(name, on: object, type: T.fileType) { a in v.withUnsafeBytes { H5Awrite(a, T.nativeType, $0.baseAddress) } }
    }

    private func withAttribute<R>(_ name: String, on object: String, _ body: (hid_t) throws(HDF5Error) -> R) throws(HDF5Error) -> R {
        let o = try openObject(object)
        defer { H5Oclose(o) }
        guard H5Aexists(o, name) > 0 else { throw .noSuchObject(path: path, object: "\(object)@\(name)") }
        let a = H5Aopen(o, name, ionlink_h5p_default())
        guard a >= 0 else { throw .readFailed(path: path, object: "\(object)@\(name)") }
        defer { H5Aclose(a) }
        return try body(a)
    }

    public func stringAttribute(_ name: String, on object: String = "/") throws(HDF5Error) -> String {
        try withAttribute(name, on: object) { (a) throws(HDF5Error) -> String in
            let t = H5Aget_type(a)
            defer { H5Tclose(t) }
            guard H5Tget_class(t) == H5T_STRING, H5Tis_variable_str(t) == 0 else { throw .wrongType(path: path, object: "\(object)@\(name)") }
            let size = H5Tget_size(t)
            var bytes = [UInt8](repeating: 0, count: size + 1)
            guard H5Aread(a, t, &bytes) >= 0 else { throw .readFailed(path: path, object: "\(object)@\(name)") }
            return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    public func attribute<T: HDF5Scalar>(_ name: String, on object: String = "/", as: T.Type) throws(HDF5Error) -> T {
        try withAttribute(name, on: object) { (a) throws(HDF5Error) -> T in
            var v = [T()]
            guard v.withUnsafeMutableBytes({ H5Aread(a, T.nativeType, $0.baseAddress) }) >= 0 else {
                throw .wrongType(path: path, object: "\(object)@\(name)")
            }
            return v[0]
        }
    }

    /// The names of an object's attributes.
    public func attributeNames(on object: String) throws(HDF5Error) -> [String] {
        let o = try openObject(object)
        defer { H5Oclose(o) }
        var names: [String] = []
        var info = H5O_info_t()
        guard H5Oget_info2(o, &info, UInt32(H5O_INFO_NUM_ATTRS)) >= 0 else { throw .readFailed(path: path, object: object) }
        for i in 0..<info.num_attrs {
            let n = H5Aget_name_by_idx(o, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, ionlink_h5p_default())
            guard n >= 0 else { continue }
            var buffer = [CChar](repeating: 0, count: Int(n) + 1)
            H5Aget_name_by_idx(o, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, buffer.count, ionlink_h5p_default())
            names.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names
    }
}
