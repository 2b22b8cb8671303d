import IonLinkSequencer

/// What a run record states about its run before the first attempt.
public struct RunMetadata: Sendable, Hashable {
    /// The lab YAML the run used, verbatim.
    public var configYAML: String
    public var seed: UInt64
    public var stop: StopCondition
    public var lab: String
    public var encoding: String
    public var ionlinkVersion: String
    /// `git describe`-style revision of the IonLink build, or "unknown".
    public var gitRevision: String
    public var createdUTC: String
    /// Device name → identity string, for every device of the run.
    public var devices: [String: String]
    /// Model predictions for the run (for example `success_probability_analytic`), by name.
    public var model: [String: Double]
    /// Whether the raw tag stream is kept (`/tags`).
    public var recordsTags: Bool

    public init(configYAML: String, seed: UInt64, stop: StopCondition, lab: String, encoding: String, ionlinkVersion: String,
                gitRevision: String, createdUTC: String, devices: [String: String], model: [String: Double], recordsTags: Bool) {
        self.configYAML = configYAML
        self.seed = seed
        self.stop = stop
        self.lab = lab
        self.encoding = encoding
        self.ionlinkVersion = ionlinkVersion
        self.gitRevision = gitRevision
        self.createdUTC = createdUTC
        self.devices = devices
        self.model = model
        self.recordsTags = recordsTags
    }
}
