import Foundation
import Yams

extension LabConfig {
    /// Parses and validates a lab YAML. Unknown keys, wrong types and out-of-range values throw a
    /// ``ConfigError`` naming the key and its line; nothing is returned half-read.
    /// - Parameter speciesKeys: the species presets the caller knows.
    public static func parse(yaml: String, speciesKeys: [String]) throws(ConfigError) -> LabConfig {
        let top = try ConfigSection.root(yaml: yaml)
        let name = try top.string("name")
        let encoding = PhotonEncoding(rawValue: try top.choice("encoding", of: PhotonEncoding.allCases.map(\.rawValue)))!
        let link = top.has("link") ? try parseLink(top.section("link")) : .ionIon
        if link.ionPhoton != nil && encoding != .polarization {
            throw .outOfRange(path: "encoding", value: encoding.rawValue, allowed: "polarization for link.kind ion_photon",
                              line: top.lineOf("encoding"))
        }
        let nodesSection = try top.section("nodes")
        var nodes = [try parseNode(nodesSection.section("A"), name: "A", speciesKeys: speciesKeys)]
        // An ion–photon link has one node: its photon is analysed at the hub.
        if link.ionPhoton == nil { nodes.append(try parseNode(nodesSection.section("B"), name: "B", speciesKeys: speciesKeys)) }
        try nodesSection.finish()
        let hub = try parseHub(top.section("hub"), encoding: encoding)
        let timing = try parseTiming(top.section("timing"))
        if link.ionPhoton != nil {
            guard !top.has("devices") else {
                throw .outOfRange(path: "devices", value: "instruments", allowed: "none: an ion–photon link is simulated "
                                  + "(instruments run link.kind ion_ion)", line: top.lineOf("devices"))
            }
        }
        let devices = top.has("devices") ? try parseDevices(top.section("devices"), nodeNames: nodes.map(\.name)) : []
        try top.finish()
        var config = LabConfig(name: name, encoding: encoding, nodes: nodes, hub: hub, timing: timing, devices: devices)
        config.link = link
        return config
    }

    private static func parseLaser(_ s: ConfigSection) throws(ConfigError) -> LaserConfig {
        let wl = try s.double("wavelength_nm", in: 100...5000)
        let maxP = try s.double("max_power_mw", in: 0...100_000)
        let p = try s.double("power_mw", in: 0...100_000)
        guard p <= maxP else {
            throw .outOfRange(path: s.full("power_mw"), value: "\(p)", allowed: "0...max_power_mw (\(maxP))", line: s.lineOf("power_mw"))
        }
        try s.finish()
        return LaserConfig(wavelength: .nanometers(wl), power: .milliwatts(p), maxPower: .milliwatts(maxP))
    }

    private static func parseNode(_ s: ConfigSection, name: String, speciesKeys: [String]) throws(ConfigError) -> NodeConfig {
        let species = try s.choice("species", of: speciesKeys)
        let lasers = try s.section("lasers")
        let cooling = try parseLaser(lasers.section("cooling"))
        let excitation = try parseLaser(lasers.section("excitation"))
        try lasers.finish()
        let t = try s.section("trap")
        let trap = TrapConfig(
            electrodes: try t.int("electrodes", in: 1...1024),
            electrodeLimit: .volts(try t.double("electrode_limit_v", in: 0...1000)),
            rfFrequency: .megahertz(try t.double("rf_frequency_mhz", in: 0.001...1000)),
            rfAmplitude: .volts(try t.double("rf_amplitude_v", in: 0...5000)),
            maxRFAmplitude: .volts(try t.double("max_rf_amplitude_v", in: 0...5000)),
            ionCountRate: .hertz(try t.double("ion_count_rate_hz", in: 0...1e9)),
            backgroundCountRate: .hertz(try t.double("background_count_rate_hz", in: 0...1e9)),
            readoutFidelity: try t.probability("readout_fidelity"),
            readoutDuration: .secondsDouble(try t.double("readout_duration_us", in: 0...1e7) * 1e-6),
            meanLoadTime: .secondsDouble(try t.double("mean_load_time_s", in: 0...1e5)),
            thresholdReadout: t.has("threshold_readout")
                ? try parseThresholdReadout(t.section("threshold_readout"), line: t.lineOf("threshold_readout")) : nil)
        guard trap.rfAmplitude <= trap.maxRFAmplitude else {
            throw .outOfRange(path: t.full("rf_amplitude_v"), value: "\(trap.rfAmplitude.volts)",
                              allowed: "0...max_rf_amplitude_v (\(trap.maxRFAmplitude.volts))", line: t.lineOf("rf_amplitude_v"))
        }
        try t.finish()
        var node = NodeConfig(
            name: name, species: species,
            excitationProbability: try s.probability("excitation_probability"),
            doubleExcitationProbability: try s.probability("double_excitation_probability"),
            objectiveNA: try s.double("objective_na", in: 0...0.99),
            dipole: DipolePattern(rawValue: try s.choice("dipole", of: DipolePattern.allCases.map(\.rawValue)))!,
            fiberCoupling: try s.probability("fiber_coupling"),
            opticsTransmission: try s.probability("optics_transmission"),
            fiberLength: .meters(try s.double("fiber_length_m", in: 0...1e6)),
            fiberAttenuation: .dBPerKm(try s.double("fiber_attenuation_db_per_km", in: 0...1e4)),
            photonArrivalOffset: .picoseconds(Int64(try s.double("photon_arrival_offset_ps", in: -1e6...1e6))),
            frequencyOffset: .megahertz(try s.double("frequency_offset_mhz", in: -1e6...1e6)),
            polarizationError: try s.double("polarization_error_deg", in: -90...90) * .pi / 180,
            lossProbabilityPerAttempt: try s.probability("loss_probability_per_attempt"),
            backgroundLossRate: .hertz(try s.double("background_loss_per_hour", in: 0...1e6) / 3600),
            cooling: cooling, excitation: excitation, trap: trap,
            conversion: s.has("conversion") ? try parseConversion(s.section("conversion")) : [], speciesLine: s.lineOf("species"))
        if s.has("photon_source_efficiency") { node.photonSourceEfficiency = try s.probability("photon_source_efficiency") }
        try s.finish()
        return node
    }

    /// `efficiency_inflection_ua` and `efficiency_width_ua`, both or neither; the plateau they put the
    /// configured efficiency on must not pass 1.
    private static func parseBiasCurve(_ d: ConfigSection, into detector: inout DetectorConfig) throws(ConfigError) {
        let keys = ["efficiency_inflection_ua", "efficiency_width_ua"]
        guard keys.contains(where: d.has) else { return }
        guard let missing = keys.first(where: { !d.has($0) }) else {
            detector.efficiencyCurve = EfficiencyCurve(inflection: .microamperes(try d.double(keys[0], in: 0...1e6)),
                                                       width: .microamperes(try d.double(keys[1], in: 1e-3...1e6)))
            guard detector.plateauEfficiency <= 1 else {
                throw .outOfRange(path: d.full("efficiency"), value: "\(detector.spec.efficiency.value)",
                                  allowed: "an efficiency the curve can reach at bias_ua (plateau \(detector.plateauEfficiency) > 1)",
                                  line: d.lineOf("efficiency"))
            }
            return
        }
        throw .outOfRange(path: d.full(missing), value: "missing", allowed: "both efficiency_inflection_ua and efficiency_width_ua, or neither",
                          line: d.line)
    }

    /// `min_wavelength_nm` and `max_wavelength_nm`, both or neither (then the kind's typical band).
    private static func parseWavelengths(_ d: ConfigSection, kind: DetectorKind) throws(ConfigError) -> ClosedRange<Wavelength> {
        let keys = ["min_wavelength_nm", "max_wavelength_nm"]
        guard keys.contains(where: d.has) else { return kind.typicalWavelengths }
        if let missing = keys.first(where: { !d.has($0) }) {
            throw .outOfRange(path: d.full(missing), value: "missing", allowed: "both min_wavelength_nm and max_wavelength_nm, or neither",
                              line: d.line)
        }
        let low = try d.double(keys[0], in: 100...20_000), high = try d.double(keys[1], in: 100...20_000)
        guard low < high else {
            throw .outOfRange(path: d.full(keys[1]), value: "\(high)", allowed: "above min_wavelength_nm (\(low))", line: d.lineOf(keys[1]))
        }
        return .nanometers(low)...(.nanometers(high))
    }

    private static func parseHub(_ s: ConfigSection, encoding: PhotonEncoding) throws(ConfigError) -> HubConfig {
        let d = try s.section("detector")
        let spec = DetectorSpec(
            kind: DetectorKind(rawValue: try d.choice("kind", of: DetectorKind.allCases.map(\.rawValue)))!,
            efficiency: try d.probability("efficiency"),
            darkCountRate: .hertz(try d.double("dark_count_rate_hz", in: 0...1e9)),
            deadTime: .secondsDouble(try d.double("dead_time_ns", in: 0...1e9) * 1e-9),
            jitterSigma: .picoseconds(Int64(try d.double("jitter_sigma_ps", in: 0...1e9))),
            afterpulseProbability: try d.probability("afterpulse_probability"),
            afterpulseDelay: .secondsDouble(try d.double("afterpulse_delay_ns", in: 0...1e9) * 1e-9))
        var detector = DetectorConfig(
            spec: spec,
            bias: .microamperes(try d.double("bias_ua", in: 0...1e6)),
            switchingCurrent: .microamperes(try d.double("switching_current_ua", in: 0...1e6)),
            maxBias: .microamperes(try d.double("max_bias_ua", in: 0...1e6)))
        guard detector.bias <= detector.maxBias else {
            throw .outOfRange(path: d.full("bias_ua"), value: "\(detector.bias.microamperes)",
                              allowed: "0...max_bias_ua", line: d.lineOf("bias_ua"))
        }
        try parseBiasCurve(d, into: &detector)
        detector.wavelengths = try parseWavelengths(d, kind: spec.kind)
        try d.finish()
        let c = try s.section("channels")
        let channels = [Int32(try c.int("c0", in: 0...255)), Int32(try c.int("c1", in: 0...255)),
                        Int32(try c.int("d0", in: 0...255)), Int32(try c.int("d1", in: 0...255))]
        let distinct = Set(channels).count
        if encoding == .polarization && distinct != 4 {
            throw .outOfRange(path: c.full("d1"), value: "\(channels)", allowed: "four different channels for polarization", line: c.line)
        }
        if encoding == .timeBin && (channels[0] != channels[1] || channels[2] != channels[3] || channels[0] == channels[2]) {
            throw .outOfRange(path: c.full("d1"), value: "\(channels)",
                              allowed: "c0 = c1 and d0 = d1 on two different detectors for time-bin", line: c.line)
        }
        try c.finish()
        let hub = HubConfig(
            detector: detector,
            windowStart: .picoseconds(Int64(try s.double("window_start_ps", in: -1e7...1e7))),
            windowLength: .secondsDouble(try s.double("window_length_ns", in: 0.001...1e6) * 1e-9),
            timeBinSeparation: .secondsDouble(try s.double("time_bin_separation_ns", in: 0.001...1e6) * 1e-9),
            channels: channels,
            syncChannel: Int32(try s.int("sync_channel", in: 0...255)),
            taggerResolution: .picoseconds(Int64(try s.int("tagger_resolution_ps", in: 1...1_000_000))),
            heraldStop: s.has("herald_stop") ? try parseHeraldStop(s.section("herald_stop"), line: s.lineOf("herald_stop")) : nil)
        if channels.contains(hub.syncChannel) {
            throw .outOfRange(path: s.full("sync_channel"), value: "\(hub.syncChannel)", allowed: "a channel no detector uses",
                              line: s.lineOf("sync_channel"))
        }
        try s.finish()
        return hub
    }

    private static func parseTiming(_ s: ConfigSection) throws(ConfigError) -> TimingConfig {
        let t = TimingConfig(
            cool: .secondsDouble(try s.double("cool_us", in: 0...1e9) * 1e-6),
            pump: .secondsDouble(try s.double("pump_ns", in: 0...1e9) * 1e-9),
            excite: .secondsDouble(try s.double("excite_ns", in: 0...1e9) * 1e-9),
            detect: .secondsDouble(try s.double("detect_ns", in: 0...1e9) * 1e-9),
            attemptsPerCool: try s.int("attempts_per_cool", in: 1...1_000_000_000),
            heatingQuantaPerAttempt: try s.double("heating_quanta_per_attempt", in: 0...1e6),
            heatingBudgetQuanta: try s.double("heating_budget_quanta", in: 0...1e9),
            ionCheckEveryBursts: try s.int("ion_check_every_bursts", in: 1...1_000_000_000),
            ionCheckExposure: .secondsDouble(try s.double("ion_check_exposure_us", in: 0...1e9) * 1e-6),
            fluorescenceThreshold: try s.int("fluorescence_threshold", in: 0...1_000_000_000),
            loadTimeout: .secondsDouble(try s.double("load_timeout_s", in: 0...1e6)))
        guard (t.pump + t.excite + t.detect) > .zero else {
            throw .outOfRange(path: s.full("pump_ns"), value: "0", allowed: "an attempt longer than zero", line: s.line)
        }
        try s.finish()
        return t
    }
}
