/// An RF source whose output phase can be set: a qubit's drive, where the phase of an analysis π/2
/// pulse picks the axis it rotates about, and so the basis a fluorescence readout measures.
///
/// Its failures are ``RFSourceError``s; a phase outside ``phaseLimit`` is refused before sending.
public protocol QubitDrive: RFSource {
    /// The phases the instrument takes.
    var phaseLimit: SetpointLimit<Angle> { get }
    func setPhase(_ phase: Angle) async throws(RFSourceError)
    func phase() async throws(RFSourceError) -> Angle
}
