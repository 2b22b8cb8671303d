import ArgumentParser
import IonLink

/// `ionlink default-config`: prints the built-in lab YAML to copy and edit.
struct DefaultConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "default-config",
        abstract: "Print the built-in default lab YAML (redirect it to a file to edit it).")

    func run() throws {
        print(try LabConfig.defaultYAML(), terminator: "")
    }
}
