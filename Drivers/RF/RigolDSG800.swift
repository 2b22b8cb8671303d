import Foundation
import IonLink
import Logging

/// Rigol DSG800-series RF generator over USBTMC (vendor 0x1AB1), as an ``RFSource`` for trap RF or an
/// AOM. Every setting is checked with `SYST:ERR?`. On connect it reads only `*IDN?`; anything without
/// `RIGOL` and `DSG8` is ``RFSourceError/wrongInstrument(device:expected:found:)``. The DSG830's range
/// (9 kHz – 3 GHz, −110 … +20 dBm) bounds the lab's limits.
public actor RigolDSG800: RFSource, IdentifiedOnConnect {
    public nonisolated let name: String
    public nonisolated let identity: DeviceIdentity
    public nonisolated let frequencyLimit: SetpointLimit<Frequency>
    public nonisolated let powerLimit: SetpointLimit<Power>
    public nonisolated let capabilities: Set<DeviceCapability> = [.rfDrive]
    private let scpi: SCPIInstrument

    public static let vendorID: UInt16 = 0x1AB1
    public static let instrumentFrequencyRange = SetpointLimit(Frequency.kilohertz(9), .megahertz(3_000))
    public static let instrumentPowerRange = SetpointLimit(Power.dBm(-110), .dBm(20))

    public static func connect(name: String, productID: UInt16, serialNumber: String? = nil, frequencyLimit: SetpointLimit<Frequency>,
                               powerLimit: SetpointLimit<Power>, timeout: Duration = .seconds(1),
                               logger: Logger) async throws(RFSourceError) -> RigolDSG800 {
        let scpi = try SCPIInstrument.usbtmc(name: name, vendorID: vendorID, productID: productID, serialNumber: serialNumber,
                                             timeout: timeout, logger: logger, as: RFSourceError.self)
        return try await connect(name: name, frequencyLimit: frequencyLimit, powerLimit: powerLimit, scpi: scpi)
    }

    /// The same over an open SCPI link (USBTMC, or any ``MessageTransport``: a fuzzer's script).
    public static func connect(name: String, frequencyLimit: SetpointLimit<Frequency>, powerLimit: SetpointLimit<Power>,
                               scpi: SCPIInstrument) async throws(RFSourceError) -> RigolDSG800 {
        let id: DeviceIdentity
        do { id = try await scpi.identity() } catch { throw RFSourceError(error, device: name, command: "*IDN?") }
        guard id.vendor.uppercased().contains("RIGOL"), id.model.hasPrefix("DSG8") else {
            throw .wrongInstrument(device: name, expected: "Rigol DSG800", found: "\(id.vendor),\(id.model)")
        }
        let f = SetpointLimit(max(frequencyLimit.lower, instrumentFrequencyRange.lower), min(frequencyLimit.upper, instrumentFrequencyRange.upper))
        let p = SetpointLimit(max(powerLimit.lower, instrumentPowerRange.lower), min(powerLimit.upper, instrumentPowerRange.upper))
        return RigolDSG800(name: name, identity: id, frequencyLimit: f, powerLimit: p, scpi: scpi)
    }

    init(name: String, identity: DeviceIdentity, frequencyLimit: SetpointLimit<Frequency>, powerLimit: SetpointLimit<Power>,
         scpi: SCPIInstrument) {
        self.name = name
        self.identity = identity
        self.frequencyLimit = frequencyLimit
        self.powerLimit = powerLimit
        self.scpi = scpi
    }

    public func setFrequency(_ frequency: Frequency) async throws(RFSourceError) {
        guard frequencyLimit.allows(frequency) else { throw .frequencyOutOfRange(device: name, requested: frequency, allowed: frequencyLimit) }
        try await checked(String(format: ":FREQ %.3f", frequency.hertz))
    }

    public func frequency() async throws(RFSourceError) -> Frequency { .hertz(try await number(":FREQ?")) }

    public func setPower(_ power: Power) async throws(RFSourceError) {
        guard powerLimit.allows(power) else { throw .powerOutOfRange(device: name, requested: power, allowed: powerLimit) }
        try await checked(String(format: ":LEV %.2f", power.dBm))
    }

    public func power() async throws(RFSourceError) -> Power { .dBm(try await number(":LEV?")) }

    public func setOutput(_ on: Bool) async throws(RFSourceError) { try await checked(":OUTP \(on ? "ON" : "OFF")") }

    public func isOutputOn() async throws(RFSourceError) -> Bool { try await number(":OUTP?") == 1 }

    // MARK: - Wire

    func checked(_ command: String) async throws(RFSourceError) {
        try await scpi.checked(command, device: name) {
            RFSourceError.notApplied(device: name, command: command, readBack: "\($0.code),\"\($0.message)\"")
        }
    }

    func number(_ query: String) async throws(RFSourceError) -> Double { try await scpi.number(query, device: name, failing: RFSourceError.self) }
}
