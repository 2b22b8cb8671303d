/// The ARTIQ `device_db` entries for one `ionlink controller` process serving several roles.
///
/// Every role gets an entry `{"type": "controller", "host", "port", "target": role}`, so that an experiment's
/// `self.setattr_device("ionlink_nodeA_cooling")` gets a pc_rpc client of that target (ARTIQ's worker selects
/// an entry's `target`). Only the first entry carries `command`: ARTIQ's controller manager starts one
/// process per entry with a command, formatting `{port}` and `{bind}` into it, pings the server's first
/// target and calls its `terminate()` to stop it — one process for the lab.
public struct ARTIQDeviceDB: Sendable {
    /// Target (role) names in order; the first entry carries the command.
    public var targets: [String]
    public var host: String
    public var port: Int
    /// The command line ARTIQ's controller manager runs, with `{port}` and `{bind}` for it to fill.
    public var command: String

    public init(targets: [String], host: String, port: Int, command: String) {
        self.targets = targets.sorted()
        self.host = host
        self.port = port
        self.command = command
    }

    /// The device name of a role: `ionlink_` and the role with its dots as underscores (a Python identifier).
    public static func deviceName(_ role: String) -> String {
        "ionlink_" + String(role.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// Python text to append to a `device_db.py`: `device_db.update({…})`.
    public var python: String {
        var lines = ["# IonLink controllers (sipyco pc_rpc), from `ionlink controller --print-device-db`.", "device_db.update({"]
        for (i, role) in targets.enumerated() {
            var fields = ["\"type\": \"controller\"", "\"host\": \(PyonValue.string(host).json())", "\"port\": \(port)",
                          "\"target\": \(PyonValue.string(role).json())"]
            if i == 0 { fields.append("\"command\": \(PyonValue.string(command).json())") }
            lines.append("    \(PyonValue.string(Self.deviceName(role)).json()): {\(fields.joined(separator: ", "))},")
        }
        lines.append("})")
        return lines.joined(separator: "\n") + "\n"
    }
}
