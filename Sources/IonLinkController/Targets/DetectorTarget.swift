import IonLink

extension ControllerTarget {
    /// A photon detector's methods: bias current in amperes, gating, latch recovery.
    public static func detector(_ detector: any PhotonDetector, role: String) -> ControllerTarget {
        @Sendable func latch(_ call: DetectorCall) async throws(ControllerFailure) -> PyonValue {
            guard case let .latch(l) = try await perform(call, on: detector) else { throw unexpected(role, call.command) }
            return .string("\(l)")
        }
        return ControllerTarget(name: role, docstring: "IonLink photon detector \(role) (tagger channel \(detector.channel))", device: detector,
                                methods: [
            ControllerMethod("spec", doc: "The detector's kind, efficiency, dark count rate (Hz), dead time and jitter (s).") {
                _ throws(ControllerFailure) in
                guard case let .spec(s) = try await perform(DetectorCall.spec, on: detector) else { throw unexpected(role, "spec") }
                return .object(["kind": .string(s.kind.rawValue), "efficiency": .float(s.efficiency.value),
                                "dark_count_rate_hz": .float(s.darkCountRate.si), "dead_time_s": .float(s.deadTime.inSeconds),
                                "jitter_sigma_s": .float(s.jitterSigma.inSeconds), "afterpulse_probability": .float(s.afterpulseProbability.value),
                                "afterpulse_delay_s": .float(s.afterpulseDelay.inSeconds)])
            },
            ControllerMethod("set_enabled", [("on", "bool")], doc: "Enables (True) or disables (False) the detector.") {
                a throws(ControllerFailure) in
                _ = try await perform(DetectorCall.setEnabled(try a.bool("on")), on: detector)
                return .none
            },
            ControllerMethod("set_bias_a", [("amperes", "float")],
                             doc: "Sets the bias current, in amperes; refused (ValueError) outside bias_limit_a().") { a throws(ControllerFailure) in
                _ = try await perform(DetectorCall.setBias(.amperes(try a.double("amperes"))), on: detector)
                return .none
            },
            ControllerMethod("bias_a", doc: "The bias current, in amperes.") { _ throws(ControllerFailure) in
                guard case let .bias(b) = try await perform(DetectorCall.bias, on: detector) else { throw unexpected(role, "bias") }
                return .float(b.amperes)
            },
            ControllerMethod("latch_state", doc: "'normal', 'latched' or 'notApplicable'.") { _ throws(ControllerFailure) in
                try await latch(.latchState)
            },
            ControllerMethod("recover_from_latch", doc: "Brings a latched detector back; returns the latch state after.") {
                _ throws(ControllerFailure) in
                try await latch(.recoverFromLatch)
            },
            ControllerMethod("bias_limit_a", doc: "(lower, upper): the bias currents the lab YAML allows, in amperes.") { _ in
                detector.biasLimit.pyon
            },
        ])
    }
}
