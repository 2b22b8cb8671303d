/// A gated photon counter: counts each input's photons over one gate. A time tagger counting singles
/// is one (a node's fluorescence counter for its qubit readout).
///
/// Its failures are ``TimeTaggerError``s.
public protocol PhotonCounter: Device {
    /// How long each count lasts.
    var gate: Duration { get }
    /// Each input's count over one gate, from the call on.
    func singles() async throws(TimeTaggerError) -> [Int]
}
