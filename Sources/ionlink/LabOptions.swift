import ArgumentParser

/// The lab a command runs or serves: its YAML and the seed of its simulation (`run`, `serve`, `controller`).
struct LabOptions: ParsableArguments {
    @Option(help: "Lab YAML (default: the built-in lab; see `ionlink default-config`); its devices: section binds instruments.")
    var config: String?

    @Option(help: "Seed of the simulation's random stream; the same seed gives the same result.")
    var seed: UInt64 = 1
}
