import IonLink

extension ControllerTarget {
    /// A trap controller's methods: electrode voltages in volts, RF in hertz and volts, exposures and timeouts in seconds.
    public static func trap(_ trap: any TrapController, role: String) -> ControllerTarget {
        @Sendable func outcome(_ call: TrapCall) async throws(ControllerFailure) -> TrapCall.Outcome { try await perform(call, on: trap) }
        @Sendable func done(_ call: TrapCall) async throws(ControllerFailure) -> PyonValue {
            _ = try await outcome(call)
            return .none
        }
        let electrode = [(name: "index", type: "int")]
        let docstring = "IonLink trap controller \(role) (\(trap.electrodeCount) DC electrodes)"
        return ControllerTarget(name: role, docstring: docstring, device: trap, methods: [
            ControllerMethod("electrode_count", doc: "The number of DC electrodes (indices 0…count−1).") { _ in
                .int(Int64(trap.electrodeCount))
            },
            ControllerMethod("set_electrode_v", electrode + [("volts", "float")],
                             doc: "Sets DC electrode `index` to `volts`; refused (ValueError) outside electrode_limit_v().") {
                a throws(ControllerFailure) in
                try await done(.setElectrode(try a.int("index", in: 0...Int(Int32.max)), .volts(try a.double("volts"))))
            },
            ControllerMethod("electrode_v", electrode, doc: "The voltage set on DC electrode `index`, in volts.") { a throws(ControllerFailure) in
                let call = TrapCall.electrodeVoltage(try a.int("index", in: 0...Int(Int32.max)))
                guard case let .voltage(v) = try await outcome(call) else { throw unexpected(role, call.command) }
                return .float(v.volts)
            },
            ControllerMethod("set_rf", [("frequency_hz", "float"), ("amplitude_v", "float")],
                             doc: "Sets the RF drive; the amplitude is refused (ValueError) outside rf_amplitude_limit_v().") {
                a throws(ControllerFailure) in
                try await done(.setRF(RFDrive(frequency: .hertz(try a.double("frequency_hz")), amplitude: .volts(try a.double("amplitude_v")))))
            },
            ControllerMethod("rf", doc: "{'frequency_hz': float, 'amplitude_v': float}: the RF drive.") { _ throws(ControllerFailure) in
                guard case let .rf(d) = try await outcome(.rf) else { throw unexpected(role, "rf") }
                return .object(["frequency_hz": .float(d.frequency.hertz), "amplitude_v": .float(d.amplitude.volts)])
            },
            ControllerMethod("fluorescence_counts", [("exposure_s", "float")],
                             doc: "Photon counts of the ion's fluorescence over `exposure_s` seconds.") { a throws(ControllerFailure) in
                guard case let .counts(n) = try await outcome(.fluorescenceCounts(exposure: try a.seconds("exposure_s", in: 0...86_400))) else {
                    throw unexpected(role, "fluorescenceCounts")
                }
                return .int(Int64(n))
            },
            ControllerMethod("load", [("timeout_s", "float")], doc: "Loads an ion; returns how long it took, in seconds.") {
                a throws(ControllerFailure) in
                guard case let .loadTime(t) = try await outcome(.load(timeout: try a.seconds("timeout_s", in: 0...86_400))) else {
                    throw unexpected(role, "load")
                }
                return .float(t.inSeconds)
            },
            ControllerMethod("measure_qubit", [("basis", "str")], doc: "Measures the qubit in basis 'X', 'Y' or 'Z'; returns +1 or −1.") {
                a throws(ControllerFailure) in
                let text = try a.string("basis")
                guard let basis = PauliBasis(rawValue: text.uppercased()) else {
                    throw .value("measure_qubit(): basis must be 'X', 'Y' or 'Z', got '\(text)'")
                }
                guard case let .eigenvalue(e) = try await outcome(.measureQubit(basis)) else { throw unexpected(role, "measureQubit") }
                return .int(Int64(e))
            },
            ControllerMethod("electrode_limit_v", doc: "(lower, upper): the electrode voltages the lab YAML allows.") { _ in
                trap.electrodeLimit.pyon
            },
            ControllerMethod("rf_amplitude_limit_v", doc: "(lower, upper): the RF amplitudes the lab YAML allows, in volts.") { _ in
                trap.rfAmplitudeLimit.pyon
            },
        ])
    }
}
