import Foundation
import IonLink
import IonLinkAssembly
import IonLinkPhysics

/// Reads the lab YAML named on the command line, or the built-in default.
func loadLabConfig(path: String?) throws(ConfigError) -> LabConfig {
    try parseLabConfig(try loadLabConfigText(path: path))
}

/// The text of the lab YAML named on the command line, or of the built-in default.
func loadLabConfigText(path: String?) throws(ConfigError) -> String {
    guard let path else { return try LabConfig.defaultYAML() }
    do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
        throw .unreadable(path: path, message: error.localizedDescription)
    }
}

/// Parses a lab YAML and checks its `devices:` against the instrument catalog.
func parseLabConfig(_ text: String) throws(ConfigError) -> LabConfig {
    let config = try LabConfig.parse(yaml: text, speciesKeys: Species.presets.keys.sorted())
    try InstrumentCatalog.standard.validate(config)
    return config
}
