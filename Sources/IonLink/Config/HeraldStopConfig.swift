import Foundation

/// The hub's herald stop (`hub.herald_stop`): a coincidence unit or FPGA "entangler" that watches the
/// hub's detectors and, on a herald pattern, ends the pulse generator's burst in hardware through the
/// generator's stop input, within one attempt — far faster than any host could. IonLink does not talk
/// to the unit itself; it enables the generator's side of the wire (DG645 `INHB`, 9520 gate input) and
/// confirms each stop with the tagger's clicks (a stop without a herald pattern in the tags is counted,
/// never a herald).
public struct HeraldStopConfig: Sendable, Hashable {
    /// The generator input the unit's output is wired to.
    public enum Input: String, Sendable, Hashable, CaseIterable {
        /// The inhibit input: DG645 rear-panel INHIBIT (`INHB`), 9520 GATE in pulse-inhibit mode.
        case inhibit
    }

    public var input: Input
    /// The Bell states whose patterns the unit is set to stop on.
    public var states: Set<BellState>
    /// The line of `hub.herald_stop` in the lab YAML, for errors found later.
    public var line: Int

    public init(input: Input = .inhibit, states: Set<BellState> = Set(BellState.allCases), line: Int = 0) {
        self.input = input
        self.states = states
        self.line = line
    }

    /// The patterns it stops on, in ``HeraldPattern/all`` order.
    public var patterns: [HeraldPattern] { HeraldPattern.all.filter { states.contains($0.state) } }
}

extension LabConfig {
    /// `hub.herald_stop: { input: inhibit, stops_on: "psi-, psi+" }`. The unit must stop on every Bell
    /// state the sequencer heralds: at a herald it does not stop on, the burst's next excitation would
    /// overwrite the heralded ions before the host could use them.
    static func parseHeraldStop(_ s: ConfigSection, line: Int) throws(ConfigError) -> HeraldStopConfig {
        let input = HeraldStopConfig.Input(rawValue: try s.choice("input", of: HeraldStopConfig.Input.allCases.map(\.rawValue)))!
        var states = Set<BellState>()
        for token in try s.string("stops_on").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let state = BellState(rawValue: token), states.insert(state).inserted else {
                throw .outOfRange(path: s.full("stops_on"), value: token, allowed: "each of psi-, psi+ once", line: s.lineOf("stops_on"))
            }
        }
        let heralded = Set(HeraldPattern.all.map(\.state))
        guard states == heralded else {
            throw .outOfRange(path: s.full("stops_on"), value: states.map(\.rawValue).sorted().joined(separator: ", "),
                              allowed: "every Bell state the run heralds (psi-, psi+): at a herald the unit does not stop on, the "
                                       + "burst's next excitation would overwrite the heralded ions",
                              line: s.lineOf("stops_on"))
        }
        try s.finish()
        return HeraldStopConfig(input: input, states: states, line: line)
    }
}
