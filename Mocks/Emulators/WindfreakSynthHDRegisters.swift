import Foundation

/// The SynthHD's settings beyond frequency, power, phase and the output switches: each is set by its
/// command character and a number and read back with `?` (Windfreak's serial programming API for the
/// SynthHD v2, as the public `windfreak` Python client tabulates it). A value outside the range the API
/// gives is ignored, as the instrument ignores out-of-range frequencies; where the API gives no range or
/// power-up value, the choice is written here (docs/wire-protocols.md, "Windfreak SynthHD").
struct WindfreakSynthHDRegister {
    let defaultValue: Double
    let range: ClosedRange<Double>
    /// The reply's format (`%.8f` for MHz, `%.0f` for whole numbers and switches).
    let format: String
    /// Whether each channel has its own (else one for the instrument).
    let perChannel: Bool

    static let whole = "%.0f", megahertz = "%.8f", milliseconds = "%.3f", dBm = "%.3f"

    /// By command character.
    static let table: [UInt8: WindfreakSynthHDRegister] = [
        // Per channel: temperature compensation mode (0 none, 1 on set, 2 every 1 s, 3 every 10 s), VGA DAC
        // (0…4000 on the v2), channel spacing (0.1…1000 Hz).
        c("Z"): .init(defaultValue: 3, range: 0...3, format: whole, perChannel: true),
        c("a"): .init(defaultValue: 0, range: 0...4_000, format: whole, perChannel: true),
        c("i"): .init(defaultValue: 100, range: 0.1...1_000, format: "%.1f", perChannel: true),
        // Reference: mode (0 external, 1 internal 27 MHz, 2 internal 10 MHz) and frequency (MHz); trigger function
        // (0 disabled … 9 FM modulation).
        c("x"): .init(defaultValue: 1, range: 0...2, format: whole, perChannel: false),
        c("*"): .init(defaultValue: 27, range: 10...100, format: megahertz, perChannel: false),
        c("w"): .init(defaultValue: 0, range: 0...9, format: whole, perChannel: false),
        // Sweep: low/high/step frequency (MHz), time step (4…10000 ms), low/high power (−60…+20 dBm),
        // direction, differential frequency and method, type (0 linear, 1 tabular), single, continuous.
        c("l"): .init(defaultValue: 1000, range: 10...15_000, format: megahertz, perChannel: false),
        c("u"): .init(defaultValue: 5000, range: 10...15_000, format: megahertz, perChannel: false),
        c("s"): .init(defaultValue: 1, range: 0.000_001...15_000, format: megahertz, perChannel: false),
        c("t"): .init(defaultValue: 4, range: 4...10_000, format: milliseconds, perChannel: false),
        c("["): .init(defaultValue: -10, range: -60...20, format: dBm, perChannel: false),
        c("]"): .init(defaultValue: -10, range: -60...20, format: dBm, perChannel: false),
        c("^"): .init(defaultValue: 1, range: 0...1, format: whole, perChannel: false),
        c("k"): .init(defaultValue: 0, range: 0...15_000, format: megahertz, perChannel: false),
        c("n"): .init(defaultValue: 0, range: 0...2, format: whole, perChannel: false),
        c("X"): .init(defaultValue: 0, range: 0...1, format: whole, perChannel: false),
        c("g"): .init(defaultValue: 0, range: 0...1, format: whole, perChannel: false),
        c("c"): .init(defaultValue: 0, range: 0...1, format: whole, perChannel: false),
        // Amplitude modulation: time step (µs), samples per burst, continuous.
        c("F"): .init(defaultValue: 1, range: 1...10_000_000, format: whole, perChannel: false),
        c("q"): .init(defaultValue: 100, range: 1...100_000, format: whole, perChannel: false),
        c("A"): .init(defaultValue: 0, range: 0...1, format: whole, perChannel: false),
        // Pulse modulation: on time (1…10⁷ µs), off time (2…10⁷ µs), repetitions (1…65500), invert, continuous, dual.
        c("P"): .init(defaultValue: 1, range: 1...10_000_000, format: whole, perChannel: false),
        c("O"): .init(defaultValue: 10, range: 2...10_000_000, format: whole, perChannel: false),
        c("R"): .init(defaultValue: 1, range: 1...65_500, format: whole, perChannel: false),
        c(":"): .init(defaultValue: 0, range: 0...1, format: whole, perChannel: false),
        c("j"): .init(defaultValue: 0, range: 0...1, format: whole, perChannel: false),
        c("D"): .init(defaultValue: 0, range: 0...1, format: whole, perChannel: false),
        // Frequency modulation: frequency (Hz), deviation (Hz), samples, type, continuous.
        c("<"): .init(defaultValue: 1000, range: 1...5_000, format: whole, perChannel: false),
        c(">"): .init(defaultValue: 100_000, range: -1e9...1e9, format: whole, perChannel: false),
        c(","): .init(defaultValue: 100, range: 20...10_000, format: whole, perChannel: false),
        c(";"): .init(defaultValue: 0, range: 0...1, format: whole, perChannel: false),
        c("/"): .init(defaultValue: 0, range: 0...1, format: whole, perChannel: false),
    ]

    private static func c(_ s: Unicode.Scalar) -> UInt8 { UInt8(ascii: s) }
}
