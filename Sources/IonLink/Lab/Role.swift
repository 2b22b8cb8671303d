/// A place in the lab a device serves: one part of one trap node, or one part of the detection hub.
///
/// Written in the lab YAML and in messages as `<node>.<part>` (`A.excitation`, `B.trap_dc`) or
/// `hub.<part>` (`hub.detector_bias`); node names are the lab's (`nodes:` keys). A lab may have any
/// number of nodes; the heralding protocol uses the first two.
public struct Role: Sendable, Hashable, CustomStringConvertible {
    /// Where the device is.
    public enum Place: Sendable, Hashable {
        /// The trap node at this index in the lab's node list.
        case node(Int)
        /// The detection hub.
        case hub
    }

    /// What the device does there.
    public enum Part: String, Sendable, Hashable, CaseIterable {
        case cooling, excitation
        case trapDC = "trap_dc"
        case trapRF = "trap_rf"
        case detectorBias = "detector_bias"
        case tagger, pulses
        /// A second tagger unit sharing the hub tagger's sync (for more channels than one unit has).
        case tagger2 = "tagger_2"
        /// A node's photon counter for its ion's fluorescence (state readout).
        case readout
        /// A node's qubit drive (the RF whose analysis pulses pick the readout basis).
        case qubitDrive = "qubit_drive"
        /// The crystal oven of a node's frequency converter (its first stage), holding the phase matching.
        case converterOven = "converter_oven"
        /// The pump laser of a node's frequency converter (its first stage).
        case converterPump = "converter_pump"

        /// Whether the part belongs to a trap node (else to the hub).
        public var isNodePart: Bool {
            [.cooling, .excitation, .trapDC, .trapRF, .readout, .qubitDrive, .converterOven, .converterPump].contains(self)
        }
        /// The device protocol a device serving this part must provide.
        public var kind: DeviceKind {
            switch self {
            case .cooling, .excitation, .converterPump: .laser
            case .trapDC: .electrodeSupply
            case .trapRF, .qubitDrive: .rfSource
            case .detectorBias: .detectorBias
            case .tagger, .tagger2, .readout: .timeTagger
            case .pulses: .pulseGenerator
            case .converterOven: .temperatureController
            }
        }
    }

    public var place: Place
    public var part: Part
    /// The node's name (empty for the hub), kept for messages.
    public var nodeName: String

    public init(node index: Int, named name: String, _ part: Part) {
        place = .node(index)
        self.part = part
        nodeName = name
    }

    public init(hub part: Part) {
        place = .hub
        self.part = part
        nodeName = ""
    }

    /// Parses `A.cooling` (or `nodeA.cooling`) and `hub.detector_bias` against the lab's node names;
    /// nil for anything else (an unknown node or part, a node part at the hub or the reverse).
    public init?(_ text: String, nodeNames: [String]) {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard pieces.count == 2, let part = Part(rawValue: pieces[1]) else { return nil }
        if pieces[0] == "hub" {
            guard !part.isNodePart else { return nil }
            self.init(hub: part)
            return
        }
        let name = pieces[0].hasPrefix("node") && !nodeNames.contains(pieces[0]) ? String(pieces[0].dropFirst(4)) : pieces[0]
        guard part.isNodePart, let index = nodeNames.firstIndex(of: name) else { return nil }
        self.init(node: index, named: name, part)
    }

    /// The node's index, or nil at the hub.
    public var nodeIndex: Int? {
        if case let .node(i) = place { return i }
        return nil
    }

    /// As written in the lab YAML: `A.excitation`, `hub.detector_bias`.
    public var description: String { (place == .hub ? "hub" : nodeName) + "." + part.rawValue }

    /// The name the role's device goes by in logs and errors: `nodeA.excitation`, `hub.detector_bias`.
    public var deviceName: String { (place == .hub ? "hub" : "node" + nodeName) + "." + part.rawValue }
}

/// The device protocols a role may need, one per kind of device.
public enum DeviceKind: String, Sendable, Hashable, CaseIterable {
    case laser
    case electrodeSupply = "electrode supply"
    case rfSource = "RF source"
    case detectorBias = "detector bias"
    case timeTagger = "time tagger"
    case pulseGenerator = "pulse generator"
    case temperatureController = "temperature controller"
}
