extension Lab {
    /// The names of the devices a fault plan can wrap: lasers, traps and detectors.
    public var wrappableDeviceNames: Set<String> {
        Set(nodes.flatMap { [$0.cooling.name, $0.excitation.name, $0.trap.name] } + detectors.map(\.name))
    }

    /// This lab with every laser, trap and detector behind `injector`, and the attempt loop advancing it.
    public func injectingFaults(_ injector: FaultInjector) -> Lab {
        var lab = self
        lab.nodes = nodes.map { n in
            LabNode(name: n.name, cooling: injector.gating(n.cooling), excitation: injector.gating(n.excitation),
                    trap: injector.gating(n.trap))
        }
        lab.detectors = detectors.map { injector.gating($0) }
        lab.attemptLoop = FaultInjectingAttemptLoop(attemptLoop, injector: injector)
        return lab
    }
}
