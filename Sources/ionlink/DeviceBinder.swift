import Foundation
import IonLink
import IonLinkDrivers
import IonLinkSimulation
import Logging

/// Why a configured instrument could not stand in for its role.
struct BindingError: Error, CustomStringConvertible {
    var binding: DeviceBinding
    var message: String
    var description: String { "lab config line \(binding.line): devices.\(binding.role) (\(binding.model) at \(binding.port)): \(message)" }
}

/// Puts the instruments named in the lab YAML's `devices:` section in place of the simulated roles:
/// lasers (their emission mirrored into the simulated world), a trap's DC electrodes, the detectors'
/// SNSPD bias. Photons, ions and tags stay simulated. Each instrument is identified on connect and
/// brought to the lab's setpoint.
enum DeviceBinder {
    static func bind(_ config: LabConfig, onto sim: SimulatedLab, logger: Logger) async throws -> Lab {
        var lab = sim.lab
        for b in config.devices {
            do {
                try await bind(b, config: config, lab: &lab, logger: logger)
            } catch let e as BindingError {
                throw e
            } catch {
                throw BindingError(binding: b, message: "\(error)")
            }
        }
        return lab
    }

    private static func locator(_ b: DeviceBinding) throws -> SerialPortLocator {
        guard let l = SerialPortLocator(b.port) else {
            throw BindingError(binding: b, message: "port must be a path (/dev/ttyUSB0) or a USB identity (0d4d:003d[:serial])")
        }
        return l
    }

    private static func bind(_ b: DeviceBinding, config: LabConfig, lab: inout Lab, logger: Logger) async throws {
        let parts = b.role.split(separator: ".").map(String.init)
        let port = try locator(b)
        if parts[0] == "hub" {
            lab.detectors = try await detectorBias(b, port: port, config: config, logger: logger)
            return
        }
        let node = parts[0] == "A" ? 0 : 1
        let nodeConfig = config.nodes[node]
        switch parts[1] {
        case "cooling", "excitation":
            let laserConfig = parts[1] == "cooling" ? nodeConfig.cooling : nodeConfig.excitation
            let name = "node\(nodeConfig.name).\(parts[1])"
            let instrument: any Laser = switch b.model {
            case "obis": try await CoherentOBIS.connect(name: name, port: port, maxPower: laserConfig.maxPower, logger: logger)
            case "cobolt": try await Cobolt0601.connect(name: name, port: port, wavelength: laserConfig.wavelength,
                                                        maxPower: laserConfig.maxPower, logger: logger)
            default: try await TopticaIBeamSmart.connect(name: name, port: port, wavelength: laserConfig.wavelength,
                                                        maxPower: laserConfig.maxPower, logger: logger)
            }
            try await instrument.setPower(laserConfig.power)
            let simulated = parts[1] == "cooling" ? lab.nodes[node].cooling : lab.nodes[node].excitation
            guard let mirror = simulated as? SimulatedLaser else { throw BindingError(binding: b, message: "role bound twice") }
            let laser = WorldMirroringLaser(instrument: instrument, mirror: mirror)
            if parts[1] == "cooling" { lab.nodes[node].cooling = laser } else { lab.nodes[node].excitation = laser }
        case "trap_rf":
            let synth = try await WindfreakSynthHD.connect(name: "node\(nodeConfig.name).trap_rf", port: port, logger: logger)
            guard let channel = Int(b.options["channel"] ?? "0"), channel == 0 || channel == 1,
                  let kappa = Double(b.options["volts_per_sqrt_mw"] ?? "20"), kappa > 0 else {
                throw BindingError(binding: b, message: "channel must be 0 or 1 and volts_per_sqrt_mw positive")
            }
            // The lab's amplitude limit becomes the synthesiser's power limit, so neither layer can exceed it.
            let maxPower = TrapControllerWithRF.sourcePower(for: nodeConfig.trap.maxRFAmplitude, voltsPerRootMilliwatt: kappa)
            let lowest = WindfreakSynthHD.instrumentPowerRange.lower
            let output = synth.output(channel, frequencyLimit: WindfreakSynthHD.instrumentFrequencyRange,
                                      powerLimit: SetpointLimit(lowest, max(lowest, maxPower)))
            let trap = TrapControllerWithRF(base: lab.nodes[node].trap, source: output, voltsPerRootMilliwatt: kappa,
                                            amplitudeLimit: SetpointLimit(.zero, nodeConfig.trap.maxRFAmplitude))
            try await trap.setRF(RFDrive(frequency: nodeConfig.trap.rfFrequency, amplitude: nodeConfig.trap.rfAmplitude))
            lab.nodes[node].trap = trap
        default:  // trap_dc
            let supply = try await StahlBS.connect(name: "node\(nodeConfig.name).trap_dc", port: port,
                                                   limit: nodeConfig.trap.electrodeLimit, logger: logger)
            let first = Int(b.options["first_channel"] ?? "1") ?? 1
            guard (1...supply.channelCount).contains(first) else {
                throw BindingError(binding: b, message: "first_channel \(first) outside 1...\(supply.channelCount)")
            }
            lab.nodes[node].trap = TrapControllerWithElectrodes(base: lab.nodes[node].trap, supply: supply, firstChannel: first)
        }
    }

    /// One SNSPD bias chain per detector channel: the k-th detector's SIM928 in `source_ports[k]`, its
    /// bias resistor read on channel k+1 of the SIM970 in `voltmeter_port`.
    private static func detectorBias(_ b: DeviceBinding, port: SerialPortLocator, config: LabConfig,
                                     logger: Logger) async throws -> [any PhotonDetector] {
        let channels = Array(Set(config.hub.channels)).sorted()
        let sources = (b.options["source_ports"] ?? "1,2,3,4").split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard sources.count >= channels.count, sources.allSatisfy({ (1...8).contains($0) }) else {
            throw BindingError(binding: b, message: "source_ports needs \(channels.count) SIM900 ports (1–8), one per detector")
        }
        guard let voltmeter = Int(b.options["voltmeter_port"] ?? "7"), (1...8).contains(voltmeter),
              let ohms = Double(b.options["bias_resistor_ohm"] ?? "100000"), ohms > 0 else {
            throw BindingError(binding: b, message: "voltmeter_port must be 1–8 and bias_resistor_ohm positive")
        }
        let d = config.hub.detector
        let mainframe = try await SIM900.connect(name: "hub.sim900", port: port, logger: logger)
        var detectors: [any PhotonDetector] = []
        for (k, channel) in channels.enumerated() {
            let chain = try await SNSPDBiasChain.connect(
                name: "hub.detector\(channel)", channel: channel, mainframe: mainframe, sourcePort: sources[k], voltmeterPort: voltmeter,
                voltmeterChannel: k + 1, biasResistorOhms: ohms, biasLimit: SetpointLimit(.zero, d.maxBias), spec: d.spec)
            try await chain.setBias(d.bias)
            detectors.append(chain)
        }
        return detectors
    }
}
