/// A line to a device in this process through a ``FaultInjector``: a planned timeout, garbled reply or
/// disconnection fails the call with the error the real driver would throw, before the device sees it.
public struct FaultGate<Call: DeviceCall>: CallLine {
    public let target: Call.Target
    public let injector: FaultInjector
    let device: any Device

    /// - Parameters:
    ///   - target: the device the calls are performed on.
    ///   - device: the same device, for its name and identity.
    public init(_ target: Call.Target, device: any Device, injector: FaultInjector) {
        self.target = target
        self.device = device
        self.injector = injector
    }

    public func identify() async throws -> DeviceIdentity {
        try await injector.gate(device.name, "identify", as: DeviceError<Call.Fault>.self)
        return try await device.identify()
    }

    public func send(_ call: Call) async throws(DeviceError<Call.Fault>) -> Call.Outcome {
        try await injector.gate(device.name, call.command, as: DeviceError<Call.Fault>.self)
        return try await call.perform(on: target)
    }
}

extension FaultInjector {
    /// `laser` with its calls passing through this injector first.
    public func gating(_ laser: any Laser) -> any Laser {
        ForwardingLaser(name: laser.name, capabilities: laser.capabilities, powerLimit: laser.powerLimit,
                        line: FaultGate<LaserCall>(laser, device: laser, injector: self))
    }

    /// `detector` with its calls passing through this injector first.
    public func gating(_ detector: any PhotonDetector) -> any PhotonDetector {
        ForwardingDetector(name: detector.name, capabilities: detector.capabilities, channel: detector.channel,
                           biasLimit: detector.biasLimit, line: FaultGate<DetectorCall>(detector, device: detector, injector: self))
    }

    /// `trap` with its calls passing through this injector first.
    public func gating(_ trap: any TrapController) -> any TrapController {
        ForwardingTrap(name: trap.name, capabilities: trap.capabilities, electrodeCount: trap.electrodeCount,
                       electrodeLimit: trap.electrodeLimit, rfAmplitudeLimit: trap.rfAmplitudeLimit,
                       line: FaultGate<TrapCall>(trap, device: trap, injector: self))
    }
}
