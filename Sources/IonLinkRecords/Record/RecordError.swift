/// Why a run record could not be written, read or resumed.
public enum RecordError: Error, Sendable, Equatable, CustomStringConvertible {
    case hdf5(HDF5Error)
    /// An HDF5 file, but not one IonLink wrote (or of a format this version does not read).
    case notARunRecord(path: String, format: String?)
    /// `--resume` of a run that finished.
    case alreadyComplete(path: String)

    public var description: String {
        switch self {
        case let .hdf5(e): e.description
        case let .notARunRecord(p, f): "\(p): not an IonLink run record" + (f.map { " (format \($0))" } ?? " (no format attribute)")
        case let .alreadyComplete(p): "\(p): the run finished; there is nothing to resume"
        }
    }
}
