import Foundation

/// A real (or emulated) instrument standing in for a simulated role (an entry of the lab YAML's
/// `devices:` section). Which models exist and which keys each takes is the instrument catalog's
/// business (`IonLinkAssembly`); the parser only reads the entry.
public struct DeviceBinding: Sendable, Hashable {
    /// The role it serves.
    public var role: Role
    /// The instrument model, e.g. `obis`.
    public var model: String
    /// Where it is: a device path (`/dev/ttyUSB0`) or a USB identity (`0d4d:003d[:serial]`).
    public var port: String
    /// Model- or role-specific settings, as written (numbers as text).
    public var options: [String: String]
    /// The line of the binding in the lab YAML, for errors found later.
    public var line: Int
    /// The line of each option key, for errors found later.
    public var optionLines: [String: Int]

    public init(role: Role, model: String, port: String, options: [String: String] = [:], line: Int, optionLines: [String: Int] = [:]) {
        self.role = role
        self.model = model
        self.port = port
        self.options = options
        self.line = line
        self.optionLines = optionLines
    }

    /// The dotted path of one of its keys in the lab YAML, for errors.
    public func path(_ key: String) -> String { "devices.\(role).\(key)" }
}

extension LabConfig {
    static func parseDevices(_ s: ConfigSection, nodeNames: [String]) throws(ConfigError) -> [DeviceBinding] {
        var out: [DeviceBinding] = []
        for key in s.keys {
            guard let role = Role(key, nodeNames: nodeNames) else {
                throw .outOfRange(path: s.full(key), value: key, allowed: "a role: <node>.{cooling, excitation, trap_dc, trap_rf} "
                                  + "with a node of \(nodeNames.joined(separator: ", ")), or hub.{detector_bias, tagger, pulses}",
                                  line: s.lineOf(key))
            }
            guard !out.contains(where: { $0.role == role }) else {
                throw .outOfRange(path: s.full(key), value: key, allowed: "each role bound once", line: s.lineOf(key))
            }
            let b = try s.section(key)
            let model = try b.string("model")
            let port = try b.string("port")
            var options: [String: String] = [:], lines: [String: Int] = [:]
            for option in b.keys where option != "model" && option != "port" {
                options[option] = try b.string(option)
                lines[option] = b.lineOf(option)
            }
            try b.finish()
            out.append(DeviceBinding(role: role, model: model, port: port, options: options, line: s.lineOf(key), optionLines: lines))
        }
        try s.finish()
        return out
    }
}
