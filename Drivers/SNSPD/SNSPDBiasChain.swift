import Foundation
import IonLink
import Logging

/// An SNSPD biased from a SIM928 voltage source through a bias resistor, with a SIM970 voltmeter
/// across that resistor, in a SIM900 mainframe: a ``PhotonDetector`` whose bias IonLink controls and
/// whose latching it detects and clears.
///
/// Bias current I = V/R_b while the wire superconducts, so a setpoint I goes out as `VOLT I·R_b`. A
/// latched wire turns resistive and takes most of the voltage, so the voltmeter's reading across R_b
/// falls well below the source voltage (below ``latchRatio`` of it). Recovery drops the source to 0 V,
/// below the retrapping current, and restores the setpoint.
public actor SNSPDBiasChain: PhotonDetector {
    public nonisolated let name: String
    public nonisolated let channel: Int32
    public nonisolated let biasLimit: SetpointLimit<Current>
    public nonisolated let capabilities: Set<DeviceCapability> = [.biasControl, .latchDetection]
    public nonisolated let biasResistorOhms: Double
    /// Reading/source ratio below which the wire counts as latched.
    public nonisolated let latchRatio: Double
    private let mainframe: SIM900
    private let sourcePort: Int
    private let voltmeterPort: Int
    private let voltmeterChannel: Int
    private let figures: DetectorSpec
    private var identities: [DeviceIdentity] = []

    /// Checks that a SIM928 sits in `sourcePort` and a SIM970 in `voltmeterPort` (only `*IDN?` is sent to each).
    public static func connect(name: String, channel: Int32, mainframe: SIM900, sourcePort: Int, voltmeterPort: Int,
                               voltmeterChannel: Int, biasResistorOhms: Double, biasLimit: SetpointLimit<Current>,
                               spec: DetectorSpec, latchRatio: Double = 0.5) async throws(PhotonDetectorError) -> SNSPDBiasChain {
        var ids: [DeviceIdentity] = [mainframe.identity]
        for (port, model) in [(sourcePort, "SIM928"), (voltmeterPort, "SIM970")] {
            let idn = try await mainframe.query(port: port, "*IDN?").first ?? ""
            let f = idn.split(separator: ",").map(String.init)
            guard f.count >= 2, f[1] == model else {
                throw .wrongInstrument(device: "\(name).port\(port)", expected: "SRS \(model)", found: idn)
            }
            ids.append(
                DeviceIdentity(
                    vendor: "Stanford Research Systems", model: model,
                    serialNumber: f.count > 2 ? f[2].replacingOccurrences(of: "s/n", with: "") : "",
                                      firmware: f.count > 3 ? f[3] : ""))
        }
        let chain = SNSPDBiasChain(name: name, channel: channel, mainframe: mainframe, sourcePort: sourcePort, voltmeterPort: voltmeterPort,
                                   voltmeterChannel: voltmeterChannel, biasResistorOhms: biasResistorOhms, biasLimit: biasLimit,
                                   spec: spec, latchRatio: latchRatio)
        await chain.setIdentities(ids)
        return chain
    }

    init(name: String, channel: Int32, mainframe: SIM900, sourcePort: Int, voltmeterPort: Int, voltmeterChannel: Int,
         biasResistorOhms: Double, biasLimit: SetpointLimit<Current>, spec: DetectorSpec, latchRatio: Double) {
        self.name = name
        self.channel = channel
        self.mainframe = mainframe
        self.sourcePort = sourcePort
        self.voltmeterPort = voltmeterPort
        self.voltmeterChannel = voltmeterChannel
        self.biasResistorOhms = biasResistorOhms
        self.biasLimit = biasLimit
        figures = spec
        self.latchRatio = latchRatio
    }

    private func setIdentities(_ ids: [DeviceIdentity]) { identities = ids }

    /// The SIM928's identity (the mainframe's and the voltmeter's are in ``moduleIdentities()``).
    public func identify() async throws -> DeviceIdentity { identities.count > 1 ? identities[1] : mainframe.identity }
    public func moduleIdentities() -> [DeviceIdentity] { identities }

    public func spec() async throws(PhotonDetectorError) -> DetectorSpec { figures }

    public func setEnabled(_ on: Bool) async throws(PhotonDetectorError) {
        try await mainframe.send(port: sourcePort, on ? "OPON" : "OPOF")
        let state = try await mainframe.query(port: sourcePort, "EXON?").first ?? ""
        guard state == (on ? "1" : "0") else { throw .notApplied(device: name, command: on ? "OPON" : "OPOF", readBack: state) }
    }

    public func setBias(_ bias: Current) async throws(PhotonDetectorError) {
        guard biasLimit.allows(bias) else { throw .biasOutOfRange(device: name, requested: bias, allowed: biasLimit) }
        try await setSourceVolts(bias.amperes * biasResistorOhms)
    }

    public func bias() async throws(PhotonDetectorError) -> Current {
        .amperes(try await sourceVolts() / biasResistorOhms)
    }

    public func latchState() async throws(PhotonDetectorError) -> LatchState {
        let source = try await sourceVolts()
        let on = try await mainframe.query(port: sourcePort, "EXON?").first == "1"
        guard on, abs(source) > 1e-3 else { return .normal }
        let command = "VOLT? \(voltmeterChannel),4"
        let readings = try await mainframe.query(port: voltmeterPort, command)
        let values = readings.compactMap { Double($0) }
        guard !values.isEmpty, values.count == readings.count else {
            throw .malformedReply(device: name, command: command, reply: readings.joined(separator: "|"))
        }
        let mean = values.reduce(0, +) / Double(values.count)
        return abs(mean) < latchRatio * abs(source) ? .latched : .normal
    }

    /// Drops the bias to 0 V (below the retrapping current), then restores it.
    public func recoverFromLatch() async throws(PhotonDetectorError) -> LatchState {
        let setpoint = try await sourceVolts()
        try await setSourceVolts(0)
        try? await Task.sleep(for: .milliseconds(10))
        try await setSourceVolts(setpoint)
        return try await latchState()
    }

    // MARK: - Wire

    private func setSourceVolts(_ volts: Double) async throws(PhotonDetectorError) {
        let command = String(format: "VOLT %.3f", volts)
        try await mainframe.send(port: sourcePort, command)
        let back = try await sourceVolts()
        guard abs(back - volts) < 1.5e-3 else { throw .notApplied(device: name, command: command, readBack: "\(back)") }
    }

    private func sourceVolts() async throws(PhotonDetectorError) -> Double {
        let reply = try await mainframe.query(port: sourcePort, "VOLT?").first ?? ""
        guard let v = Double(reply) else { throw .malformedReply(device: name, command: "VOLT?", reply: reply) }
        return v
    }
}
