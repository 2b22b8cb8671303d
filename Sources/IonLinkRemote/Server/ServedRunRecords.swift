import IonLink
import IonLinkAssembly
import IonLinkSequencer

/// How a node that serves runs records each of them: made by the node's composition root, which knows the
/// record format and where records go (`ionlink serve --records DIR`).
public struct ServedRunRecords: Sendable {
    /// Starts the record of run `number` (after its devices were identified): the observer that writes it,
    /// and its path, which every update of the run then carries.
    public var begin: @Sendable (_ number: Int64, _ request: RunRequest, _ identities: [(String, DeviceIdentity)]) throws
        -> (observer: any RunObserver, path: String)

    public init(begin: @escaping @Sendable (Int64, RunRequest, [(String, DeviceIdentity)]) throws -> (observer: any RunObserver, path: String)) {
        self.begin = begin
    }
}
