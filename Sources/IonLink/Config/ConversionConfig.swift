import Foundation

/// One stage of quantum frequency conversion (difference-frequency generation in a pumped nonlinear
/// waveguide) as configured under `nodes.<X>.conversion.stages` (docs/lab-yaml.md, "Frequency conversion").
///
/// The stage sits after the node's collection optics and before its long fiber: the photon is coupled in,
/// converted with the pump-dependent device efficiency, coupled out and filtered.
public struct ConversionStageConfig: Sendable, Hashable {
    /// The converted photon's vacuum wavelength.
    public var outputWavelength: Wavelength
    /// The pump laser's vacuum wavelength (energy conservation ties it to the input and output).
    public var pumpWavelength: Wavelength
    /// The pump power setpoint.
    public var pumpPower: Power
    /// The pump power no setpoint may exceed (the converter role refuses past it).
    public var maxPumpPower: Power
    /// Internal conversion efficiency at its maximum, reached at ``peakPumpPower``.
    public var peakEfficiency: Probability
    /// The pump power at which the internal efficiency peaks.
    public var peakPumpPower: Power
    /// Fiber or free-space coupling into the converter.
    public var couplingIn: Probability
    /// Coupling from the converter into the next fiber.
    public var couplingOut: Probability
    /// Transmission of the filters that strip the pump and its noise, at the signal.
    public var filterTransmission: Probability
    /// Noise photons per second at the stage's output (after its filters) per milliwatt of pump: the
    /// anti-Stokes Raman and parametric background, linear in the pump power.
    public var noisePerPumpMilliwatt: Double
    /// Process fidelity of the stage on the photon's polarization qubit (1 for a perfectly
    /// polarization-preserving converter).
    public var polarizationFidelity: Probability
    /// The stage's line in the lab YAML, for errors found when the lab's physics is built.
    public var line: Int
    /// The crystal's oven (`oven:`): phase matching against temperature, and the setpoint its controller holds.
    public var oven: CrystalOvenConfig? = nil

    /// The pump as a laser role (`<node>.converter_pump`, first stage): its wavelength, setpoint and limit.
    public var pumpLaser: LaserConfig { LaserConfig(wavelength: pumpWavelength, power: pumpPower, maxPower: maxPumpPower) }

    public init(outputWavelength: Wavelength, pumpWavelength: Wavelength, pumpPower: Power, maxPumpPower: Power,
                peakEfficiency: Probability, peakPumpPower: Power, couplingIn: Probability, couplingOut: Probability,
                filterTransmission: Probability, noisePerPumpMilliwatt: Double, polarizationFidelity: Probability, line: Int = 0) {
        self.outputWavelength = outputWavelength
        self.pumpWavelength = pumpWavelength
        self.pumpPower = pumpPower
        self.maxPumpPower = maxPumpPower
        self.peakEfficiency = peakEfficiency
        self.peakPumpPower = peakPumpPower
        self.couplingIn = couplingIn
        self.couplingOut = couplingOut
        self.filterTransmission = filterTransmission
        self.noisePerPumpMilliwatt = noisePerPumpMilliwatt
        self.polarizationFidelity = polarizationFidelity
        self.line = line
    }
}

/// A converter crystal's oven as configured (`conversion.stages[i].oven`): where its phase matching peaks, how wide it
/// is in temperature, the setpoint the oven controller (role `<node>.converter_oven`, first stage) is held at, and the
/// limit no setpoint may pass.
public struct CrystalOvenConfig: Sendable, Hashable {
    /// The temperature of perfect phase matching (the efficiency's peak).
    public var phaseMatching: Temperature
    /// The full width at half maximum of the efficiency against temperature.
    public var acceptanceFWHM: Double
    public var setpoint: Temperature
    public var maxSetpoint: Temperature

    public init(phaseMatching: Temperature, acceptanceFWHM: Double, setpoint: Temperature, maxSetpoint: Temperature) {
        self.phaseMatching = phaseMatching
        self.acceptanceFWHM = acceptanceFWHM
        self.setpoint = setpoint
        self.maxSetpoint = maxSetpoint
    }

    /// The limit the oven controller refuses setpoints past: room temperature (a heater cannot cool) to the maximum.
    public var setpointLimit: SetpointLimit<Temperature> { SetpointLimit(.celsius(20), maxSetpoint) }
}

extension LabConfig {
    /// `oven: { phase_matching_c: 84.2, acceptance_fwhm_c: 1.5, setpoint_c: 84.2, max_setpoint_c: 120 }`.
    static func parseOven(_ s: ConfigSection) throws(ConfigError) -> CrystalOvenConfig {
        let maxSetpoint = try s.double("max_setpoint_c", in: 20...400)
        let setpoint = try s.double("setpoint_c", in: 20...400)
        guard setpoint <= maxSetpoint else {
            throw .outOfRange(path: s.full("setpoint_c"), value: "\(setpoint)", allowed: "20...max_setpoint_c (\(maxSetpoint))",
                              line: s.lineOf("setpoint_c"))
        }
        let oven = CrystalOvenConfig(phaseMatching: .celsius(try s.double("phase_matching_c", in: -50...400)),
                                     acceptanceFWHM: try s.double("acceptance_fwhm_c", in: 0.001...100),
                                     setpoint: .celsius(setpoint), maxSetpoint: .celsius(maxSetpoint))
        try s.finish()
        return oven
    }

    /// `conversion: { stages: [ {output_wavelength_nm: 1550, pump_wavelength_nm: 1902, ...} ] }`: one or two stages.
    static func parseConversion(_ s: ConfigSection) throws(ConfigError) -> [ConversionStageConfig] {
        let items = try s.list("stages")
        guard (1...2).contains(items.count) else {
            throw .outOfRange(path: s.full("stages"), value: "\(items.count) stages", allowed: "one or two stages", line: s.lineOf("stages"))
        }
        var stages: [ConversionStageConfig] = []
        for item in items {
            let maxPump = try item.double("max_pump_power_mw", in: 0...1e6)
            let pump = try item.double("pump_power_mw", in: 0...1e6)
            guard pump <= maxPump else {
                throw .outOfRange(path: item.full("pump_power_mw"), value: "\(pump)", allowed: "0...max_pump_power_mw (\(maxPump))",
                                  line: item.lineOf("pump_power_mw"))
            }
            var stage = ConversionStageConfig(
                outputWavelength: .nanometers(try item.double("output_wavelength_nm", in: 100...5000)),
                pumpWavelength: .nanometers(try item.double("pump_wavelength_nm", in: 100...20_000)),
                pumpPower: .milliwatts(pump), maxPumpPower: .milliwatts(maxPump),
                peakEfficiency: try item.probability("peak_efficiency"),
                peakPumpPower: .milliwatts(try item.double("peak_pump_power_mw", in: 1e-3...1e6)),
                couplingIn: try item.probability("coupling_in"), couplingOut: try item.probability("coupling_out"),
                filterTransmission: try item.probability("filter_transmission"),
                noisePerPumpMilliwatt: try item.double("noise_hz_per_pump_mw", in: 0...1e9),
                polarizationFidelity: Probability(unchecked: try item.double("polarization_process_fidelity", in: 0.25...1)),
                line: item.line)
            if item.has("oven") { stage.oven = try parseOven(item.section("oven")) }
            stages.append(stage)
            try item.finish()
        }
        try s.finish()
        return stages
    }
}
