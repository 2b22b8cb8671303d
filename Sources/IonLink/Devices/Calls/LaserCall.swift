/// One ``Laser`` operation as a value (see ``DeviceCall``).
public enum LaserCall: DeviceCall, Hashable {
    case wavelength
    case setPower(Power)
    case powerSetpoint
    case measuredPower
    case setEmission(Bool)
    case status

    /// What a laser call returns.
    public enum Outcome: Sendable, Hashable {
        case done
        case wavelength(Wavelength)
        case power(Power)
        case status(LaserStatus)
    }

    public var command: String {
        switch self {
        case .wavelength: "wavelength"
        case .setPower: "setPower"
        case .powerSetpoint: "powerSetpoint"
        case .measuredPower: "measuredPower"
        case .setEmission: "setEmission"
        case .status: "status"
        }
    }

    public var changesDevice: Bool {
        switch self {
        case .setPower, .setEmission: true
        case .wavelength, .powerSetpoint, .measuredPower, .status: false
        }
    }

    public func check(against laser: any Laser) throws(LaserError) {
        if case let .setPower(p) = self, !laser.powerLimit.allows(p) {
            throw .setpointOutOfRange(device: laser.name, requested: p, allowed: laser.powerLimit)
        }
    }

    public func perform(on laser: any Laser) async throws(LaserError) -> Outcome {
        switch self {
        case .wavelength: return .wavelength(try await laser.wavelength())
        case let .setPower(p): try await laser.setPower(p)
        case .powerSetpoint: return .power(try await laser.powerSetpoint())
        case .measuredPower: return .power(try await laser.measuredPower())
        case let .setEmission(on): try await laser.setEmission(on)
        case .status: return .status(try await laser.status())
        }
        return .done
    }
}
