import IonLink

extension InstrumentCatalog {
    /// A node's readout by instruments fits together: its photon counter (`<node>.readout`) can count
    /// the trap's `readout_duration_us` on the channel named, the trap says its threshold and drive
    /// (`threshold_readout`), the node's qubit drive (`<node>.qubit_drive`) is bound for the analysis
    /// pulses, and a live hub tagger is bound (the ions read out are those the instruments' heralds
    /// entangled; over simulated heralds, a readout by instruments would read ions nothing entangled).
    /// Found here, before any port is opened.
    func validateReadout(_ config: LabConfig) throws(ConfigError) {
        let bound = Dictionary(config.devices.map { ($0.role, $0) }, uniquingKeysWith: { a, _ in a })
        for b in config.devices where b.role.part == .qubitDrive {
            guard let node = b.role.nodeIndex, bound[Role(node: node, named: b.role.nodeName, .readout)] != nil else {
                throw .outOfRange(path: "devices.\(b.role)", value: b.model,
                                  allowed: "a node that also binds its readout counter (\(b.role.nodeName).readout): the qubit drive "
                                           + "serves only the readout's analysis pulses",
                                  line: b.line)
            }
        }
        for b in config.devices where b.role.part == .readout {
            guard let node = b.role.nodeIndex, let model = model(b.model) else { continue }
            let trap = config.nodes[node].trap
            let path = "devices.\(b.role)"
            guard let gate = model.countingGate else {
                throw .outOfRange(path: path, value: b.model, allowed: "a counter that counts over a gate (tdc1)", line: b.line)
            }
            guard gate.allows(trap.readoutDuration) else {
                let step = Int(gate.step.inPicoseconds / 1_000_000)
                throw .outOfRange(path: path, value: "\(b.model) counting nodes.\(b.role.nodeName).trap.readout_duration_us "
                                                     + "\(trap.readoutDuration.inSeconds * 1e6)",
                                  allowed: "a readout_duration_us \(b.model) can count: \(gate.steps.lowerBound * step)…"
                                           + "\(gate.steps.upperBound * step) in steps of \(step)",
                                  line: b.line)
            }
            if let inputs = model.taggerInputs, let text = b.options["channel"] {
                guard let channel = Int32(text), inputs.contains(channel) else {
                    throw .outOfRange(path: b.path("channel"), value: text, allowed: "\(inputs.lowerBound)…\(inputs.upperBound)",
                                      line: b.optionLines["channel"] ?? b.line)
                }
            }
            guard trap.thresholdReadout != nil else {
                throw .outOfRange(path: path, value: b.model,
                                  allowed: "a trap that says how its counts are read: nodes.\(b.role.nodeName).trap.threshold_readout: "
                                           + "{ threshold: 6, drive_frequency_mhz: 12, drive_power_dbm: 0 }",
                                  line: b.line)
            }
            guard bound[Role(node: node, named: b.role.nodeName, .qubitDrive)] != nil else {
                throw .outOfRange(path: path, value: b.model,
                                  allowed: "a node that also binds its qubit drive (\(b.role.nodeName).qubit_drive), whose analysis "
                                           + "pulses turn the X and Y bases into Z",
                                  line: b.line)
            }
            guard let tagger = bound[Role(hub: .tagger)], self.model(tagger.model)?.isRecording == false else {
                throw .outOfRange(path: path, value: b.model,
                                  allowed: "a lab that binds a live hub.tagger: a readout by instruments reads the ions its heralds "
                                           + "entangled",
                                  line: b.line)
            }
        }
    }
}
