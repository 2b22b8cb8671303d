/// How the photonic qubit is encoded.
public enum PhotonEncoding: String, Sendable, Hashable, Codable, CaseIterable {
    /// |↑⟩↔H, |↓⟩↔V; four detectors behind polarising beam splitters on both outputs.
    case polarization
    /// |↑⟩↔early, |↓⟩↔late; two detectors, each with an early and a late window.
    case timeBin = "time-bin"
}

/// One place a photon can click: a beam-splitter output (`c` or `d`) and a qubit mode (0 or 1:
/// H/V for polarisation, early/late for time-bin).
public struct ClickSlot: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 0 for output `c`, 1 for output `d`.
    public var output: Int
    /// 0 for H / early, 1 for V / late.
    public var mode: Int
    public init(output: Int, mode: Int) {
        precondition((0...1).contains(output) && (0...1).contains(mode))
        self.output = output
        self.mode = mode
    }
    /// Index 0...3 = 2·output + mode.
    public var index: Int { 2 * output + mode }
    public init(index: Int) { self.init(output: index / 2, mode: index % 2) }
    public static let all = (0..<4).map(ClickSlot.init(index:))
    public static func < (a: ClickSlot, b: ClickSlot) -> Bool { a.index < b.index }
    public var description: String { "\(output == 0 ? "c" : "d")\(mode)" }
}

/// The Bell state a click pattern heralds.
public enum BellState: String, Sendable, Hashable, Codable, CaseIterable {
    /// (|↑↓⟩ + |↓↑⟩)/√2: orthogonal modes in the same beam-splitter output.
    case psiPlus = "psi+"
    /// (|↑↓⟩ − |↓↑⟩)/√2: orthogonal modes in different outputs.
    case psiMinus = "psi-"
}

/// A two-click pattern that heralds entanglement.
public struct HeraldPattern: Sendable, Hashable, CustomStringConvertible {
    public var first: ClickSlot
    public var second: ClickSlot
    public var state: BellState

    /// The four heralding patterns of a linear-optics Bell-state measurement
    /// (ψ⁻: c0·d1, d0·c1; ψ⁺: c0·c1, d0·d1).
    public static let all: [HeraldPattern] = [
        HeraldPattern(first: ClickSlot(output: 0, mode: 0), second: ClickSlot(output: 1, mode: 1), state: .psiMinus),
        HeraldPattern(first: ClickSlot(output: 1, mode: 0), second: ClickSlot(output: 0, mode: 1), state: .psiMinus),
        HeraldPattern(first: ClickSlot(output: 0, mode: 0), second: ClickSlot(output: 0, mode: 1), state: .psiPlus),
        HeraldPattern(first: ClickSlot(output: 1, mode: 0), second: ClickSlot(output: 1, mode: 1), state: .psiPlus),
    ]

    /// A bit mask of the two slots (bit `slot.index`).
    public var slotMask: Int { (1 << first.index) | (1 << second.index) }
    public var description: String { "\(state.rawValue)[\(first)·\(second)]" }
}
