import ArgumentParser
import Foundation
import IonLink
import IonLinkAssembly
import IonLinkPhysics

extension RunCommand {
    /// The lab of `--config` when it is an ion–photon link (`link.kind: ion_photon`), nil otherwise (then the two-node
    /// protocol runs). A resumed run is always an ion–ion run: ion–photon runs write no record.
    func ionPhotonLab() throws -> IonPhotonLabModel? {
        guard resume == nil else { return nil }
        let text = try loadLabConfigText(path: config)
        guard ConfigSection.rootHas("link", yaml: text) else { return nil }
        let parsed = try parseLabConfig(text)
        guard parsed.link.ionPhoton != nil else { return nil }
        let refused = [("--faults", faults != nil), ("--tags", tags != nil), ("--record", record != nil), ("--record-tags", recordTags),
                       ("--pace", pace != nil)].filter(\.1).map(\.0)
        if !refused.isEmpty {
            throw ValidationError("\(refused.joined(separator: ", ")): an ion–photon lab is simulated and summarised only (no faults, "
                + "tag stream, record or pacing)")
        }
        return try IonPhotonLabModel(config: parsed)
    }

    /// Runs an ion–photon lab to the stop condition and prints its summary.
    func runIonPhoton(_ lab: IonPhotonLabModel) throws {
        let result = IonPhotonRun(lab: lab, seed: seed).run(until: stopping.condition)
        let summary = IonPhotonSummary(lab: lab, result: result, seed: seed)
        print(json ? try summary.json() : summary.text())
    }
}
