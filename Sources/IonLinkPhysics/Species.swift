import IonLink

/// An ion species and the transition whose photon carries the qubit.
///
/// Values are published measurements; each preset names its sources.
public struct Species: Sendable, Hashable, CustomStringConvertible {
    /// Preset key used in lab YAML, e.g. `"Ba138"`.
    public var key: String
    /// The photon's vacuum wavelength.
    public var photonWavelength: Wavelength
    /// Probability that the excited state decays on the photon's transition.
    public var branching: Probability
    /// Natural lifetime of the excited state (sets the photon's temporal shape).
    public var excitedLifetime: Duration
    /// The transition, for display.
    public var transition: String

    public var description: String { "\(key) \(transition) \(photonWavelength)" }

    /// ¹⁷¹Yb⁺ 6P½→6S½ at 369.5 nm. Branching 0.995 (D3/2 leak 0.005) and τ = 8.12 ns:
    /// Olmschenk et al., PRA 80, 022502 (2009).
    public static let yb171 = Species(key: "Yb171", photonWavelength: .nanometers(369.525),
                                      branching: Probability(unchecked: 0.995),
                                      excitedLifetime: .picoseconds(8_120), transition: "6P1/2→6S1/2")
    /// ¹³⁸Ba⁺ 6P½→6S½ at 493.5 nm. D3/2 branching 0.268177 → 0.731823 to S½, τ = 7.855 ns:
    /// Arnold et al., PRA 100, 032503 (2019).
    public static let ba138 = Species(key: "Ba138", photonWavelength: .nanometers(493.545),
                                      branching: Probability(unchecked: 0.731823),
                                      excitedLifetime: .picoseconds(7_855), transition: "6P1/2→6S1/2")
    /// ⁸⁸Sr⁺ 5P½→5S½ at 421.7 nm. Branching 0.9453 (Likforman et al., PRA 93, 052507 (2016)),
    /// τ = 7.39 ns (Pinnington et al., J. Phys. B 28, L1 (1995)).
    public static let sr88 = Species(key: "Sr88", photonWavelength: .nanometers(421.671),
                                     branching: Probability(unchecked: 0.9453),
                                     excitedLifetime: .picoseconds(7_390), transition: "5P1/2→5S1/2")
    /// ⁴⁰Ca⁺ 4P3/2→3D5/2 at 854.2 nm (the Raman photon used by Innsbruck). Branching 0.0587
    /// (Gerritsma et al., EPJ D 50, 13 (2008)); τ(P3/2) = 6.924 ns (Jin & Church, PRL 70, 3213 (1993)).
    public static let ca40 = Species(key: "Ca40", photonWavelength: .nanometers(854.209),
                                     branching: Probability(unchecked: 0.0587),
                                     excitedLifetime: .picoseconds(6_924), transition: "4P3/2→3D5/2")
    /// ⁴⁰Ca⁺ 4P3/2→4S½ at 393.4 nm, branching 0.9347 (Gerritsma et al. 2008), τ = 6.924 ns.
    public static let ca40uv = Species(key: "Ca40-393", photonWavelength: .nanometers(393.366),
                                       branching: Probability(unchecked: 0.9347),
                                       excitedLifetime: .picoseconds(6_924), transition: "4P3/2→4S1/2")
    /// ⁴⁰Ca⁺ 4P½→3D3/2 at 866.45 nm (the repumper line, used as the photon by Tsinghua's multiplexed node). Branching
    /// 0.06435 (Ramm et al., PRL 111, 023004 (2013)); τ(P½) = 7.098 ns (Jin & Church, PRL 70, 3213 (1993)).
    public static let ca40ir = Species(key: "Ca40-866", photonWavelength: .nanometers(866.452),
                                       branching: Probability(unchecked: 0.06435),
                                       excitedLifetime: .picoseconds(7_098), transition: "4P1/2→3D3/2")

    /// All presets, by key.
    public static let presets: [String: Species] = Dictionary(
        uniqueKeysWithValues: [yb171, ba138, sr88, ca40, ca40uv, ca40ir].map { ($0.key, $0) })
}
