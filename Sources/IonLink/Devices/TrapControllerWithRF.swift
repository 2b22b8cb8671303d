import Foundation

/// A trap controller whose RF drive comes from a synthesiser through a step-up resonator, everything
/// else from `base`. A helical resonator of quality factor Q steps a drive power P up to an amplitude
/// V = κ·√P (V = √(P·Q·Z) for a resonator of characteristic impedance Z; Siverns et al., Appl. Phys. B
/// 107, 921 (2012)); κ (`voltsPerRootMilliwatt`) is the lab's measured calibration, so an amplitude
/// setpoint goes out as P = (V/κ)² mW.
public struct TrapControllerWithRF: TrapControllerDecorator {
    public let base: any TrapController
    public let source: any RFSource
    public let voltsPerRootMilliwatt: Double
    /// The lab's RF amplitude limit; the source's own power limit should be no wider than
    /// ``maximumSourcePower(for:voltsPerRootMilliwatt:)`` of it.
    public let rfAmplitudeLimit: SetpointLimit<Voltage>

    public init(base: any TrapController, source: any RFSource, voltsPerRootMilliwatt: Double, amplitudeLimit: SetpointLimit<Voltage>) {
        precondition(voltsPerRootMilliwatt > 0)
        self.base = base
        self.source = source
        self.voltsPerRootMilliwatt = voltsPerRootMilliwatt
        rfAmplitudeLimit = amplitudeLimit
    }

    /// The drive power that gives `amplitude` through a resonator of step-up κ: P = (V/κ)² mW.
    public static func sourcePower(for amplitude: Voltage, voltsPerRootMilliwatt kappa: Double) -> Power {
        .milliwatts(pow(amplitude.volts / kappa, 2))
    }

    public var capabilities: Set<DeviceCapability> { base.capabilities.union(source.capabilities) }

    /// The synthesiser's identity, with the base trap's model appended.
    public func identify() async throws -> DeviceIdentity { try await identity(of: source, part: "RF") }

    /// Sets frequency and power (P = (V/κ)²), then switches the output on; refused before sending
    /// when the amplitude lies outside ``rfAmplitudeLimit`` or either setting outside the source's limits.
    public func setRF(_ drive: RFDrive) async throws(TrapControllerError) {
        guard rfAmplitudeLimit.allows(drive.amplitude) else {
            throw .rfOutOfRange(device: name, what: "amplitude \(drive.amplitude) outside \(rfAmplitudeLimit.lower)...\(rfAmplitudeLimit.upper)")
        }
        guard source.frequencyLimit.allows(drive.frequency) else {
            throw .rfOutOfRange(
                device: name, what: "frequency \(drive.frequency) outside \(source.frequencyLimit.lower)...\(source.frequencyLimit.upper)")
        }
        let power = Self.sourcePower(for: drive.amplitude, voltsPerRootMilliwatt: voltsPerRootMilliwatt)
        guard source.powerLimit.allows(power) else {
            throw .rfOutOfRange(device: name, what: "drive power \(power) outside \(source.powerLimit.lower)...\(source.powerLimit.upper)")
        }
        do {
            try await source.setFrequency(drive.frequency)
            try await source.setPower(power)
            try await source.setOutput(true)
        } catch {
            throw trapError(error)
        }
    }

    public func rf() async throws(TrapControllerError) -> RFDrive {
        do {
            let p = try await source.power()
            return RFDrive(frequency: try await source.frequency(),
                           amplitude: .volts(voltsPerRootMilliwatt * p.milliwatts.squareRoot()))
        } catch {
            throw trapError(error)
        }
    }

    /// The trap's error for a failure of its RF source.
    private func trapError(_ error: RFSourceError) -> TrapControllerError {
        switch error.reason {
        case .kind, .instrument(.notApplied): .rfOutOfRange(device: name, what: "\(error)")
        case let .instrument(fault): TrapControllerError(device: error.device, .instrument(fault))
        }
    }
}
