import Foundation

/// The DG645's settings beyond delays, outputs, trigger source and bursts, as its manual's command list has
/// them (docs/wire-protocols.md, "SRS DG645", auxiliary commands): trigger holdoff `HOLD` (0…2000 s),
/// advanced triggering `ADVT`, the prescalers `PRES b,i` (b = 0 the trigger input, 1…4 the outputs AB…GH;
/// 1…2³⁰−1) and their phases `PHAS b,i` (b = 1…4, below the output's prescale factor), the display `SHDP`
/// and `DISP i,j`, the knob's step sizes (`SSxx`; the steps they take, `SPxx`, are not emulated), the status
/// enables `*ESE`, `*SRE`, `INSE`, `*PSC`, the timebase `TIMB?` (0 internal), front-panel lock `LOCK?`/`UNLK`,
/// and nine stored setups (`*SAV`/`*RCL`, location 0 the factory setup).
struct SRSDG645Settings: Sendable {
    var holdoff = 0.0
    var advancedTrigger = 0
    /// Prescale factor of the trigger input (0) and of each output (1…4).
    var prescale = [Int](repeating: 1, count: 5)
    /// Prescale phase of each output (index 1…4; 0 unused).
    var phase = [Int](repeating: 0, count: 5)
    var displayOn = 1
    /// What the display shows (0…14) and for which channel.
    var display = (kind: 11, channel: 2)
    /// Step sizes of single settings (`SSHD`, `SSTR`, `SSTL`, `SSBC`, `SSBD`, `SSBP`).
    var step: [String: Double] = ["SSHD": 1e-6, "SSTR": 1, "SSTL": 0.1, "SSBC": 1, "SSBD": 1e-6, "SSBP": 1e-6]
    /// Step sizes per delay channel (`SSDL`), per output (`SSLA`, `SSLO`), per prescaler (`SSPS`, `SSPH`).
    var stepDelay = [Double](repeating: 1e-9, count: 10)
    var stepAmplitude = [Double](repeating: 0.1, count: 5), stepOffset = [Double](repeating: 0.1, count: 5)
    var stepPrescale = [Int](repeating: 1, count: 5), stepPhase = [Int](repeating: 1, count: 5)
    var eventEnable = 0, serviceEnable = 0, statusEnable = 0, powerOnClear = 1
    var locked = false

    static let prescaleRange = 1...(1 << 30) - 1
    static let holdoffRange = 0.0...2000.0
}

extension SRSDG645Emulator {
    /// A query the core command set does not answer; nil when the mnemonic is not one of these (or was refused).
    func auxiliaryQuery(_ m: String, _ p: [String]) -> String?? {
        let s = settings
        switch m {
        case "HOLD": return .some(none(p) ? Self.seconds(Int64((s.holdoff * 1e12).rounded())) : nil)
        case "ADVT": return .some(none(p) ? "\(s.advancedTrigger)" : nil)
        case "PRES": return .some(one(p, 0...4).map { "\(s.prescale[$0])" })
        case "PHAS": return .some(one(p, 1...4).map { "\(s.phase[$0])" })
        case "SHDP": return .some(none(p) ? "\(s.displayOn)" : nil)
        case "DISP": return .some(none(p) ? "\(s.display.kind),\(s.display.channel)" : nil)
        case "SSHD", "SSBD", "SSBP": return .some(none(p) ? Self.seconds(Int64((s.step[m]! * 1e12).rounded())) : nil)
        case "SSTR": return .some(none(p) ? String(format: "%+.6f", s.step[m]!) : nil)
        case "SSTL": return .some(none(p) ? String(format: "%.2f", s.step[m]!) : nil)
        case "SSBC": return .some(none(p) ? "\(Int(s.step[m]!))" : nil)
        case "SSDL": return .some(one(p, 0...9).map { Self.seconds(Int64((s.stepDelay[$0] * 1e12).rounded())) })
        case "SSLA": return .some(one(p, 0...4).map { String(format: "%.2f", s.stepAmplitude[$0]) })
        case "SSLO": return .some(one(p, 0...4).map { String(format: "%.2f", s.stepOffset[$0]) })
        case "SSPS": return .some(one(p, 0...4).map { "\(s.stepPrescale[$0])" })
        case "SSPH": return .some(one(p, 1...4).map { "\(s.stepPhase[$0])" })
        case "*ESE": return .some(none(p) ? "\(s.eventEnable)" : nil)
        case "*SRE": return .some(none(p) ? "\(s.serviceEnable)" : nil)
        case "INSE": return .some(none(p) ? "\(s.statusEnable)" : nil)
        case "*PSC": return .some(none(p) ? "\(s.powerOnClear)" : nil)
        case "*STB": return .some(none(p) ? "\(statusByte)" : nil)
        case "*TST", "*CAL": return .some(none(p) ? "0" : nil)
        case "TIMB": return .some(none(p) ? "0" : nil)
        case "LOCK":
            guard none(p) else { return .some(nil) }
            defer { settings.locked = true }
            return .some(s.locked ? "0" : "1")
        case "UNLK":
            guard none(p) else { return .some(nil) }
            defer { settings.locked = false }
            return .some(s.locked ? "1" : "0")
        case "*SAV", "*RCL", "*WAI", "LCAL", "REMT": return .some(fail(112))
        default: return nil
        }
    }

    /// A set command the core command set does not take; false when the mnemonic is not one of these.
    func auxiliarySet(_ m: String, _ p: [String]) -> Bool {
        switch m {
        case "HOLD": if arity(p, 1), let v = real(p[0], SRSDG645Settings.holdoffRange) { settings.holdoff = v }
        case "ADVT": if arity(p, 1), let v = integer(p[0], 0...1) { settings.advancedTrigger = v }
        case "PRES": if arity(p, 2), let b = integer(p[0], 0...4), let v = integer(p[1], SRSDG645Settings.prescaleRange) {
            settings.prescale[b] = v
            if b > 0, settings.phase[b] >= v { settings.phase[b] = 0 }
        }
        case "PHAS": if arity(p, 2), let b = integer(p[0], 1...4), let v = integer(p[1], 0...settings.prescale[b] - 1) { settings.phase[b] = v }
        case "SHDP": if arity(p, 1), let v = integer(p[0], 0...1) { settings.displayOn = v }
        case "DISP": if arity(p, 2), let k = integer(p[0], 0...14), let c = integer(p[1], 0...9) { settings.display = (k, c) }
        case "SSHD", "SSBD": if arity(p, 1), let v = real(p[0], 0...2000) { settings.step[m] = v }
        case "SSBP": if arity(p, 1), let v = real(p[0], 100e-9...2000) { settings.step[m] = v }
        case "SSTR": if arity(p, 1), let v = real(p[0], 0.001...10e6) { settings.step[m] = v }
        case "SSTL": if arity(p, 1), let v = real(p[0], 0.001...3.5) { settings.step[m] = v }
        case "SSBC": if arity(p, 1), let v = integer(p[0], 1...Int(UInt32.max)) { settings.step[m] = Double(v) }
        case "SSDL": if arity(p, 2), let c = integer(p[0], 0...9), let v = real(p[1], 0...2000) { settings.stepDelay[c] = v }
        case "SSLA": if arity(p, 2), let b = integer(p[0], 0...4), let v = real(p[1], 0.001...5) { settings.stepAmplitude[b] = v }
        case "SSLO": if arity(p, 2), let b = integer(p[0], 0...4), let v = real(p[1], 0.001...2) { settings.stepOffset[b] = v }
        case "SSPS":
            if arity(p, 2), let b = integer(p[0], 0...4), let v = integer(p[1], SRSDG645Settings.prescaleRange) { settings.stepPrescale[b] = v }
        case "SSPH": if arity(p, 2), let b = integer(p[0], 1...4), let v = integer(p[1], SRSDG645Settings.prescaleRange) { settings.stepPhase[b] = v }
        case "*ESE": if arity(p, 1), let v = integer(p[0], 0...255) { settings.eventEnable = v }
        case "*SRE": if arity(p, 1), let v = integer(p[0], 0...255) { settings.serviceEnable = v }
        case "INSE": if arity(p, 1), let v = integer(p[0], 0...255) { settings.statusEnable = v }
        case "*PSC": if arity(p, 1), let v = integer(p[0], 0...1) { settings.powerOnClear = v }
        case "*SAV": if arity(p, 1), let i = integer(p[0], 1...9) { saved[i] = snapshot() }
        case "*RCL": if arity(p, 1), let i = integer(p[0], 0...9) {
            if i == 0 { reset() } else if let s = saved[i] { restore(s) } else { _ = fail(14) }
        }
        case "*WAI", "LCAL", "REMT": _ = arity(p, 0)
        case "*STB", "*TST", "*CAL", "TIMB", "LOCK", "UNLK": _ = fail(113)
        default: return false
        }
        return true
    }

    /// The status byte (`*STB?`): bit 0 an enabled instrument-status bit is set, 5 an enabled event bit,
    /// 6 either of those enabled for service (MSS). Bit 4 (a reply waiting) is never set while this answers.
    var statusByte: Int {
        var b = (insr & settings.statusEnable) != 0 ? 1 : 0
        if (esr & settings.eventEnable) != 0 { b |= 1 << 5 }
        if (b & settings.serviceEnable) != 0 { b |= 1 << 6 }
        return b
    }
}
