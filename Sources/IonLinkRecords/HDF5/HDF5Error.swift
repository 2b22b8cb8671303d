/// Why an HDF5 file could not be created, opened, read or written. Each case names the file and,
/// where there is one, the object inside it.
public enum HDF5Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not exist.
    case missing(path: String)
    /// The file exists but is not HDF5 (or is damaged past its superblock).
    case notHDF5(path: String)
    case cannotCreate(path: String)
    /// HDF5 refused to open it (locked by a running writer, truncated, or unreadable).
    case cannotOpen(path: String, reason: String)
    /// An object the caller needs is not in the file.
    case noSuchObject(path: String, object: String)
    /// A dataset or attribute holds another type or shape than expected.
    case wrongType(path: String, object: String)
    /// An HDF5 call failed while writing.
    case writeFailed(path: String, object: String)
    /// An HDF5 call failed while reading.
    case readFailed(path: String, object: String)

    public var description: String {
        switch self {
        case let .missing(p): "\(p): no such file"
        case let .notHDF5(p): "\(p): not an HDF5 file"
        case let .cannotCreate(p): "\(p): cannot create the HDF5 file (directory missing, not writable, or the file exists)"
        case let .cannotOpen(p, r): "\(p): cannot open: \(r)"
        case let .noSuchObject(p, o): "\(p): has no \(o)"
        case let .wrongType(p, o): "\(p): \(o) has an unexpected type or shape"
        case let .writeFailed(p, o): "\(p): writing \(o) failed"
        case let .readFailed(p, o): "\(p): reading \(o) failed"
        }
    }
}
