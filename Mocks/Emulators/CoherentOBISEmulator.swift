import Foundation
import IonLink

/// Coherent OBIS LX/LS laser, as its operator's manual describes the remote interface
/// (USB virtual COM / RS-232, 115200 8N1, commands and replies end in CR LF; command set summarised
/// in docs/wire-protocols.md, "Coherent OBIS LX/LS"):
/// - SCPI mnemonics in short or long form, any case;
/// - with handshaking on (the power-up default) every command, set or query, is answered by `OK`,
///   after the value line of a query; an error comes back as `ERR-nnn` in place of `OK`
///   (`ERR-100` unknown command; `ERR-102` parameter out of range, as this emulator models it);
/// - the queries of its settings (`SOUR:TEMP:APR?`), its diode (`SOUR:POW:CURR?`, `SOUR:TEMP:BAS?|INT?|DSET?`,
///   `SYST:DIOD:HOUR?`, `SYST:CYCL?`), its information (`SYST:INF:MDAT?|CDAT?|PNUM?|FVER?|PVER?|TYP?`) and its
///   error count (`SYST:ERR:COUN?`, `SYST:ERR:CLE`), temperatures as a number followed by `C`;
/// - the output power follows the setpoint with a first-order response while emission is on;
/// - an open interlock keeps emission off and sets the interlock fault bit.
public final class CoherentOBISEmulator: InstrumentEmulator, LightEmitting {
    public struct Model: Sendable {
        public var wavelengthNM: Int
        public var nominalPowerW: Double
        public var serialNumber: String
        public var firmware: String
        public init(wavelengthNM: Int = 488, nominalPowerW: Double = 0.1, serialNumber: String = "176543",
                    firmware: String = "V3.0.1") {
            self.wavelengthNM = wavelengthNM
            self.nominalPowerW = nominalPowerW
            self.serialNumber = serialNumber
            self.firmware = firmware
        }
    }

    /// Fault word bits (SYST:FAUL?): the emulator sets these.
    public static let faultInterlock: UInt32 = 0x0000_0010
    public static let faultBaseplateTemperature: UInt32 = 0x0000_0002

    public let model: Model
    private var splitter = CommandLineSplitter()
    private var handshake = true
    private var emissionRequested = false
    private var setpointW: Double
    /// The output power in watts, following `targetW` (the power servo, 20 ms).
    private var output: FirstOrderResponse
    private var modulation = "CWP"
    private var temperatureControl = true
    /// Errors reported since the last `SYST:ERR:CLE` (`SYST:ERR:COUN?`).
    private var errorCount = 0
    private let now: () -> Double
    /// Interlock loop state; open it to test the driver's handling.
    public var interlockClosed = true
    /// Fault word; OR in ``faultBaseplateTemperature`` to simulate an over-temperature fault.
    public var extraFaults: UInt32 = 0

    /// - Parameter now: the emulator's clock in seconds (injected, so tests control time).
    public init(model: Model = Model(), now: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.model = model
        self.now = now
        setpointW = 0
        output = FirstOrderResponse(timeConstant: 0.02, start: now())
    }

    private var highLimitW: Double { model.nominalPowerW * 1.1 }
    private var lowLimitW: Double { 0 }
    private var emitting: Bool { emissionRequested && interlockClosed && extraFaults == 0 }
    private var faultWord: UInt32 { (interlockClosed ? 0 : Self.faultInterlock) | extraFaults }

    /// What the power servo drives the output to.
    private var targetW: Double { emitting ? setpointW : 0 }

    private func advance() { output.advance(toward: targetW, at: now()) }

    public func receive(_ bytes: [UInt8]) -> [[UInt8]] {
        defer { emissionReport.report(emittedPower, to: emissionChanged) }
        return splitter.lines(from: bytes).map { Array(respond(to: $0).utf8) }
    }

    public var emissionChanged: ((Power) -> Void)?
    private var emissionReport = EmissionReport()
    public var emittedPower: Power { .watts(targetW) }

    /// One command line in, the whole reply out (value line, then OK/ERR with handshaking).
    func respond(to line: String) -> String {
        advance()
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let header = String(trimmed.prefix { $0 != " " })
        let argument = trimmed.dropFirst(header.count).trimmingCharacters(in: .whitespaces)
        let result = execute(header: header, argument: argument)
        switch result {
        case let .value(v): return v + "\r\n" + (handshake ? "OK\r\n" : "")
        case .done: return handshake ? "OK\r\n" : ""
        case let .error(code):
            errorCount += 1
            return "ERR-\(code)\r\n"
        }
    }

    enum Outcome { case value(String), done, error(Int) }

    private static func h(_ p: String) -> SCPIHeader { SCPIHeader(p) }
    private static let idn = h("*IDN?")
    private static let model = h("SYSTem:INFormation:MODel?"), wav = h("SYSTem:INFormation:WAVelength?")
    private static let snum = h("SYSTem:INFormation:SNUMber?"), infPow = h("SYSTem:INFormation:POWer?")
    private static let fver = h("SYSTem:INFormation:FVERsion?")
    private static let amState = h("SOURce:AM:STATe"), amStateQ = h("SOURce:AM:STATe?")
    private static let amInt = h("SOURce:AM:INTernal"), amExt = h("SOURce:AM:EXTernal"), amSourceQ = h("SOURce:AM:SOURce?")
    private static let powSet = h("SOURce:POWer:LEVel:IMMediate:AMPLitude"), powSetQ = h("SOURce:POWer:LEVel:IMMediate:AMPLitude?")
    private static let powOut = h("SOURce:POWer:LEVel?"), powNom = h("SOURce:POWer:NOMinal?")
    private static let limHigh = h("SOURce:POWer:LIMit:HIGH?"), limLow = h("SOURce:POWer:LIMit:LOW?")
    private static let tempApr = h("SOURce:TEMPerature:APRobe"), tempAprQ = h("SOURce:TEMPerature:APRobe?")
    private static let stat = h("SYSTem:STATus?"), faul = h("SYSTem:FAULt?"), lock = h("SYSTem:LOCK?")
    private static let hand = h("SYSTem:COMMunicate:HANDshaking"), handQ = h("SYSTem:COMMunicate:HANDshaking?")
    private static let powCurr = h("SOURce:POWer:CURRent?")
    private static let errCount = h("SYSTem:ERRor:COUNt?"), errClear = h("SYSTem:ERRor:CLEar")
    /// Queries whose replies do not change: the `SYST:INF:…?` strings the manual lists without a format,
    /// the self-test, the temperatures of a laser at its setpoints, its hours and cycles, and the settings
    /// it does not model. The values are this emulator's choice.
    private static let fixedReplies: [(SCPIHeader, String)] = [
        (h("SYSTem:INFormation:MDATe?"), "2019-03-15"), (h("SYSTem:INFormation:CDATe?"), "2019-03-20"),
        (h("SYSTem:INFormation:PNUMber?"), "1178770"), (h("SYSTem:INFormation:PVERsion?"), "V1.0"),
        (h("SYSTem:INFormation:TYPe?"), "DDL"), (h("*TST?"), "0"),
        (h("SOURce:TEMPerature:DIODe?"), "25.02C"), (h("SOURce:TEMPerature:BASeplate?"), "28.50C"),
        (h("SOURce:TEMPerature:INTernal?"), "30.10C"), (h("SOURce:TEMPerature:DSETpoint?"), "25.00C"),
        (h("SYSTem:HOURs?"), "1234.5"), (h("SYSTem:DIODe:HOURs?"), "1100.2"), (h("SYSTem:CYCLes?"), "152"),
        (h("SYSTem:CDRH?"), "OFF"), (h("SYSTem:AUTostart?"), "OFF"),
    ]

    private func execute(header: String, argument: String) -> Outcome {
        func onOff(_ set: (Bool) -> Void) -> Outcome {
            switch argument.uppercased() {
            case "ON", "1": set(true); return .done
            case "OFF", "0": set(false); return .done
            default: return .error(102)
            }
        }
        func selectModulation(from modes: [String]) -> Outcome {
            guard modes.contains(argument.uppercased()) else { return .error(102) }
            modulation = argument.uppercased()
            return .done
        }
        switch header {
        case _ where Self.idn.matches(header):
            return .value("Coherent, Inc - OBIS \(model.wavelengthNM)nm LX \(Int(model.nominalPowerW * 1000))mW - \(model.firmware) - Mar 15 2019")
        case _ where Self.model.matches(header): return .value("OBIS \(model.wavelengthNM)nm LX \(Int(model.nominalPowerW * 1000))mW")
        case _ where Self.wav.matches(header): return .value("\(model.wavelengthNM)")
        case _ where Self.snum.matches(header): return .value(model.serialNumber)
        case _ where Self.fver.matches(header): return .value(model.firmware)
        case _ where Self.infPow.matches(header), _ where Self.powNom.matches(header):
            return .value(String(format: "%.5f", model.nominalPowerW))
        case _ where Self.amState.matches(header): return onOff { emissionRequested = $0 }
        case _ where Self.amStateQ.matches(header): return .value(emitting ? "ON" : "OFF")
        case _ where Self.amInt.matches(header): return selectModulation(from: ["CWP", "CWC"])
        case _ where Self.amExt.matches(header): return selectModulation(from: ["DIG", "ANAL", "MIX", "DIGITAL", "ANALOG", "MIXED"])
        case _ where Self.amSourceQ.matches(header): return .value(modulation)
        case _ where Self.powSet.matches(header):
            guard let w = Double(argument), w.isFinite else { return .error(102) }
            guard w >= lowLimitW && w <= highLimitW else { return .error(102) }
            setpointW = w
            return .done
        case _ where Self.powSetQ.matches(header): return .value(String(format: "%.5f", setpointW))
        case _ where Self.powOut.matches(header): return .value(String(format: "%.5f", output.value))
        case _ where Self.limHigh.matches(header): return .value(String(format: "%.5f", highLimitW))
        case _ where Self.limLow.matches(header): return .value(String(format: "%.5f", lowLimitW))
        case _ where Self.tempApr.matches(header): return onOff { temperatureControl = $0 }
        case _ where Self.tempAprQ.matches(header): return .value(temperatureControl ? "ON" : "OFF")
        // The diode current: threshold 30 mA plus 0.8 A/W above it while emitting (this emulator's diode).
        case _ where Self.powCurr.matches(header): return .value(String(format: "%.4f", emitting ? 0.030 + 0.8 * output.value : 0))
        case _ where Self.errCount.matches(header): return .value("\(errorCount)")
        case _ where Self.errClear.matches(header): errorCount = 0; return .done
        case _ where Self.fixedReplies.contains { $0.0.matches(header) }:
            return .value(Self.fixedReplies.first { $0.0.matches(header) }!.1)
        case _ where Self.stat.matches(header):
            return .value(String(format: "%08X", (emitting ? 0x0000_0001 : 0) | (faultWord != 0 ? 0x0000_0100 : 0)))
        case _ where Self.faul.matches(header): return .value(String(format: "%08X", faultWord))
        case _ where Self.lock.matches(header): return .value(interlockClosed ? "ON" : "OFF")
        case _ where Self.hand.matches(header): return onOff { handshake = $0 }
        case _ where Self.handQ.matches(header): return .value(handshake ? "ON" : "OFF")
        default: return .error(100)
        }
    }
}
