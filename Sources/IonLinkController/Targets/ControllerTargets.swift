import IonLink
import IonLinkAssembly

extension ServedDevices {
    /// Every served role as a pc_rpc target named by its role (`nodeA.cooling`, `hub.detector1`, `hub.tagger`),
    /// with tagger exposures timed by `clock`. The attempt loop and the lab clock are not instruments a lab
    /// script drives, and are not served.
    public func controllerTargets(clock: any Clock<Duration>) -> [ControllerTarget] {
        lasers.map { ControllerTarget.laser($1, role: $0) } + detectors.map { ControllerTarget.detector($1, role: $0) }
            + traps.map { ControllerTarget.trap($1, role: $0) } + pulses.map { ControllerTarget.pulses($1, role: $0) }
            + taggers.map { ControllerTarget.tagger($1, role: $0, clock: clock) } + ovens.map { ControllerTarget.oven($1, role: $0) }
    }
}
