import Foundation

/// A real (or emulated) instrument standing in for a simulated role.
public struct DeviceBinding: Sendable, Hashable {
    /// The role, e.g. `A.excitation`, `B.trap_dc`, `hub.detector_bias`.
    public var role: String
    /// The instrument model, e.g. `obis`.
    public var model: String
    /// Where it is: a device path (`/dev/ttyUSB0`) or a USB identity (`0d4d:003d[:serial]`).
    public var port: String
    /// Model-specific settings, as written (numbers as text).
    public var options: [String: String]
    /// The line of the binding in the lab YAML, for errors found later.
    public var line: Int
}

/// The roles a lab YAML may bind to instruments (the `devices:` section), the models each accepts, and
/// the extra keys each model takes. Roles not bound stay simulated.
public enum DeviceRoles {
    public static let laserModels = ["obis", "cobolt", "ibeam"]
    public static let roles: [String: [String]] = [
        "A.cooling": laserModels, "A.excitation": laserModels, "B.cooling": laserModels, "B.excitation": laserModels,
        "A.trap_dc": ["stahl"], "B.trap_dc": ["stahl"],
        "A.trap_rf": ["synthhd"], "B.trap_rf": ["synthhd"],
        "hub.detector_bias": ["sim900"],
    ]
    /// Optional keys per model (beyond `model` and `port`).
    public static let options: [String: [String]] = [
        "stahl": ["first_channel"],
        "synthhd": ["channel", "volts_per_sqrt_mw"],
        "sim900": ["source_ports", "voltmeter_port", "bias_resistor_ohm"],
    ]
}

extension LabConfig {
    static func parseDevices(_ s: ConfigSection) throws(ConfigError) -> [DeviceBinding] {
        var out: [DeviceBinding] = []
        for role in s.keys {
            guard let models = DeviceRoles.roles[role] else {
                throw .unknownKey(path: s.full(role), line: s.lineOf(role))
            }
            let b = try s.section(role)
            let model = try b.choice("model", of: models)
            let port = try b.string("port")
            var options: [String: String] = [:]
            for key in DeviceRoles.options[model] ?? [] where b.keys.contains(key) { options[key] = try b.string(key) }
            try b.finish()
            out.append(DeviceBinding(role: role, model: model, port: port, options: options, line: s.lineOf(role)))
        }
        try s.finish()
        return out
    }
}
