import Dispatch
import IonLink
import IonLinkDrivers
import Logging

/// Feeds every line-protocol driver's reply parsing arbitrary replies: the first byte of an input picks
/// the driver, the rest is the script of its instrument's replies (``ScriptedTransport``). The driver
/// connects and runs through its whole API; every call must end in a value or a typed error, never a
/// crash. The fuzz target `FuzzDriverReplies` and `DriverReplyFuzzRegressionTests` both run it.
public enum DriverReplyFuzzing {
    /// The drivers, in selector order.
    public static let drivers = ["CoherentOBIS", "Cobolt0601", "TopticaIBeamSmart", "StahlBS", "WindfreakSynthHD", "SIM900+SNSPDBiasChain",
                                 "SFifteenTDC1", "ThorlabsITC4001", "RigolDSG800"]

    /// Whether driver number `driver` speaks SCPI messages (USBTMC) rather than lines.
    public static func isMessageBased(_ driver: Int) -> Bool { driver >= 7 }

    static let logger = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }

    /// Runs one input to completion (blocking the caller: libFuzzer's callback is synchronous).
    public static func run(_ input: [UInt8]) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await exercise(input)
            done.signal()
        }
        done.wait()
    }

    /// Connects the driver the first byte picks over the rest of the input as its replies, then calls
    /// every operation; returns the names of the calls that succeeded.
    @discardableResult
    public static func exercise(_ input: [UInt8]) async -> [String] {
        guard let selector = input.first else { return [] }
        let driver = Int(selector) % drivers.count, script = Array(input.dropFirst())
        if isMessageBased(driver) { return await exercise(driver: driver, over: ScriptedMessages(script: script)) }
        return await exercise(driver: driver, over: ScriptedTransport(script: script))
    }

    /// Connects SCPI driver number `driver` over `link` and calls every operation; returns the names of
    /// the calls that succeeded.
    public static func exercise(driver: Int, over link: any MessageTransport) async -> [String] {
        let calls = Calls()
        let scpi = SCPIInstrument(name: "scpi", device: link, logger: logger)
        if driver == 7 {
            guard let l = try? await ThorlabsITC4001.connect(name: "itc", wavelength: .nanometers(780), maxPower: .milliwatts(50),
                                                             maxCurrent: .milliamperes(120), scpi: scpi) else { return calls.ok }
            await laser(l, calls)
            await calls.attempt("measuredCurrent") { _ = try await l.measuredCurrent() }
            await calls.attempt("setTemperature") { try await l.setTemperature(celsius: 22.5) }
            await calls.attempt("temperature") { _ = try await l.temperatureCelsius() }
        } else {
            guard let rf = try? await RigolDSG800.connect(name: "dsg", frequencyLimit: RigolDSG800.instrumentFrequencyRange,
                                                          powerLimit: RigolDSG800.instrumentPowerRange, scpi: scpi) else { return calls.ok }
            await rfSource(rf, calls)
        }
        return calls.ok
    }

    /// The names of every call ``exercise(driver:over:)`` makes after connecting, per driver.
    public static let calls: [[String]] = [
        laserCalls, laserCalls + ["clearFault"], laserCalls, ["setVoltage", "measuredVoltage", "temperature"],
        rfCalls,
        ["setBias", "bias", "setEnabled", "latchState", "recoverFromLatch"], ["singles", "stream"],
        laserCalls + ["measuredCurrent", "setTemperature", "temperature"], rfCalls,
    ]
    static let rfCalls = ["setFrequency", "frequency", "setPower", "power", "setOutput", "isOutputOn"]
    static let laserCalls = ["wavelength", "setPower", "powerSetpoint", "measuredPower", "status", "setEmission", "emissionOff"]

    /// Connects driver number `driver` (``drivers`` order) over `transport` and calls every operation;
    /// returns the names of the calls that succeeded.
    public static func exercise(driver: Int, over transport: any ByteTransport) async -> [String] {
        let calls = Calls()
        func session(_ framing: LineFraming) -> LineSession {
            LineSession(port: "fuzz", framing: framing, timeout: .milliseconds(50), logger: logger) {
                () throws(TransportError) -> any ByteTransport in
                transport
            }
        }
        switch driver {
        case 0:
            guard let l = try? await CoherentOBIS.connect(name: "obis", maxPower: .milliwatts(100), logger: logger,
                                                          session: session(CoherentOBIS.framing)) else { return calls.ok }
            await laser(l, calls)
        case 1:
            guard let l = try? await Cobolt0601.connect(name: "cobolt", wavelength: .nanometers(493), maxPower: .milliwatts(100),
                                                        logger: logger, session: session(Cobolt0601.framing)) else { return calls.ok }
            await laser(l, calls)
            await calls.attempt("clearFault") { try await l.clearFault() }
        case 2:
            guard let l = try? await TopticaIBeamSmart.connect(name: "ibeam", wavelength: .nanometers(488), maxPower: .milliwatts(100),
                                                               logger: logger, session: session(TopticaIBeamSmart.framing)) else { return calls.ok }
            await laser(l, calls)
        case 3:
            guard let dc = try? await StahlBS.connect(name: "dc", limit: .volts(10), logger: logger, session: session(StahlBS.framing))
            else { return calls.ok }
            await calls.attempt("setVoltage") { try await dc.setVoltage(.volts(1.25), channel: 1) }
            await calls.attempt("measuredVoltage") { _ = try await dc.measuredVoltage(channel: 1) }
            await calls.attempt("temperature") { _ = try await dc.temperatureCelsius() }
        case 4:
            guard let synth = try? await WindfreakSynthHD.connect(name: "rf", logger: logger, session: session(WindfreakSynthHD.framing))
            else { return calls.ok }
            let out = synth.output(0, frequencyLimit: WindfreakSynthHD.instrumentFrequencyRange, powerLimit: WindfreakSynthHD.instrumentPowerRange)
            await rfSource(out, calls)
        case 5:
            guard let frame = try? await SIM900.connect(name: "sim900", moduleTimeout: .milliseconds(50), logger: logger,
                                                        session: session(SIM900.framing)),
                  let d = try? await SNSPDBiasChain.connect(
                      name: "snspd", channel: 0, mainframe: frame, sourcePort: 1, voltmeterPort: 7, voltmeterChannel: 1,
                      biasResistorOhms: 100_000, biasLimit: SetpointLimit(.zero, .microamperes(20)),
                      spec: DetectorSpec(kind: .snspd, efficiency: .one, darkCountRate: .zero, deadTime: .zero, jitterSigma: .zero,
                                         afterpulseProbability: .zero, afterpulseDelay: .zero)) else { return calls.ok }
            await calls.attempt("setBias") { try await d.setBias(.microamperes(10)) }
            await calls.attempt("bias") { _ = try await d.bias() }
            await calls.attempt("setEnabled") { try await d.setEnabled(true) }
            await calls.attempt("latchState") { _ = try await d.latchState() }
            await calls.attempt("recoverFromLatch") { _ = try await d.recoverFromLatch() }
        default:
            guard let tagger = try? await SFifteenTDC1.connect(name: "tdc", acquisition: .milliseconds(1), logger: logger,
                                                               session: session(SFifteenTDC1.framing)) else { return calls.ok }
            await calls.attempt("singles") { _ = try await tagger.singles() }
            await calls.attempt("stream") {
                let stream = try await tagger.startStreaming()
                for await _ in stream { break }
                await tagger.stopStreaming()
            }
        }
        return calls.ok
    }

    /// The calls of one exercise that succeeded. Every error is described (its description must not trap).
    final class Calls {
        var ok: [String] = []
        func attempt(_ name: String, _ body: () async throws -> Void) async {
            do {
                try await body()
                ok.append(name)
            } catch {
                _ = "\(error)"
            }
        }
    }

    private static func laser(_ l: any Laser, _ calls: Calls) async {
        await calls.attempt("wavelength") { _ = try await l.wavelength() }
        await calls.attempt("setPower") { try await l.setPower(.milliwatts(5)) }
        await calls.attempt("powerSetpoint") { _ = try await l.powerSetpoint() }
        await calls.attempt("measuredPower") { _ = try await l.measuredPower() }
        await calls.attempt("status") { _ = try await l.status() }
        await calls.attempt("setEmission") { try await l.setEmission(true) }
        await calls.attempt("emissionOff") { try await l.setEmission(false) }
    }

    private static func rfSource(_ rf: any RFSource, _ calls: Calls) async {
        await calls.attempt("setFrequency") { try await rf.setFrequency(.megahertz(80.25)) }
        await calls.attempt("frequency") { _ = try await rf.frequency() }
        await calls.attempt("setPower") { try await rf.setPower(.dBm(3.5)) }
        await calls.attempt("power") { _ = try await rf.power() }
        await calls.attempt("setOutput") { try await rf.setOutput(true) }
        await calls.attempt("isOutputOn") { _ = try await rf.isOutputOn() }
    }
}
