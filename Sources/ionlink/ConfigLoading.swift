import Foundation
import IonLink
import IonLinkPhysics

/// Reads the lab YAML named on the command line, or the built-in default.
func loadLabConfig(path: String?) throws(ConfigError) -> LabConfig {
    let text: String
    if let path {
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw .unreadable(path: path, message: error.localizedDescription)
        }
    } else {
        text = try LabConfig.defaultYAML()
    }
    return try LabConfig.parse(yaml: text, speciesKeys: Species.presets.keys.sorted())
}
