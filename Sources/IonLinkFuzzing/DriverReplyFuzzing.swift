import IonLink
import IonLinkAssembly
import IonLinkPhysics
import Logging

/// Feeds every instrument model's reply parsing arbitrary replies: the first byte of an input picks the
/// model (its index in ``InstrumentCatalog/standard``), the rest is the script of its instrument's
/// replies (``ScriptedTransport``, or ``ScriptedMessages`` for USBTMC models). The model is opened the way
/// a lab opens it (``LabBuilder/open(_:config:link:)`` with the model's example binding on the default
/// lab's limits), then every operation of its kind and the model's own ``InstrumentModel/extraCalls``
/// run; each must end in a value or a typed error, never a crash. The fuzz target `FuzzDriverReplies`
/// and `DriverReplyFuzzTests` both run it.
public enum DriverReplyFuzzing {
    /// The models with a wire protocol (those with an emulator), in selector order.
    public static var models: [InstrumentModel] { InstrumentCatalog.standard.models.filter { $0.emulator != nil } }

    static let logger = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }
    static let builder = LabBuilder(logger: logger)
    /// The default lab, whose role limits the models are opened with.
    static let lab: LabConfig? = try? builder.parse(yaml: LabConfig.defaultYAML())
    /// The default lab in its time-bin form on three tagger inputs (early and late on one detector each
    /// side, the sync on the third), for taggers with four inputs.
    static let fourInputLab: LabConfig? = try? builder.parse(yaml: LabConfig.defaultYAML()
        .replacingOccurrences(of: "encoding: polarization", with: "encoding: time-bin")
        .replacingOccurrences(of: "channels: { c0: 0, c1: 1, d0: 2, d1: 3 }", with: "channels: { c0: 0, c1: 0, d0: 1, d1: 1 }")
        .replacingOccurrences(of: "sync_channel: 4", with: "sync_channel: 2"))
    /// The default lab with a converter on node A whose crystal oven (phase matching at 84 °C, at most 120 °C) a
    /// temperature controller holds.
    static let ovenLab: LabConfig? = lab.map { base in
        var config = base
        var stage = ConversionStageConfig(
            outputWavelength: .nanometers(1550), pumpWavelength: .nanometers(1902.9), pumpPower: .milliwatts(800), maxPumpPower: .milliwatts(1000),
            peakEfficiency: Probability(unchecked: 0.5), peakPumpPower: .milliwatts(800), couplingIn: .one, couplingOut: .one,
            filterTransmission: .one,
            noisePerPumpMilliwatt: 0, polarizationFidelity: .one)
        stage.oven = CrystalOvenConfig(phaseMatching: .celsius(84), acceptanceFWHM: 1.5, setpoint: .celsius(84), maxSetpoint: .celsius(120))
        config.nodes[0].conversion = [stage]
        return config
    }
    /// The default lab's attempt sequence, which a pulse generator is programmed with.
    static let attempt: PulseSequence? = lab.flatMap { try? LabModel(config: $0).attemptSequence }

    /// Runs one input to completion (blocking the caller: libFuzzer's callback is synchronous).
    public static func run(_ input: [UInt8]) {
        runBlocking { await exercise(input) }
    }

    /// Opens the model the first byte picks over the rest of the input as its replies, then calls every
    /// operation; returns the names of the calls that succeeded.
    @discardableResult
    public static func exercise(_ input: [UInt8]) async -> [String] {
        guard let selector = input.first else { return [] }
        let model = models[Int(selector) % models.count], script = Array(input.dropFirst())
        let link: InstrumentLink = model.emulator?.isMessageBased == true
            ? .messages(ScriptedMessages(script: script)) : .bytes(ScriptedTransport(script: script), replyTimeout: .milliseconds(50))
        return await exercise(model, over: link)
    }

    /// The role a model is opened for: the first of its kind's (`nodeA.cooling` for a laser).
    public static func role(for model: InstrumentModel) -> Role {
        switch model.kind {
        case .laser: Role(node: 0, named: "A", .cooling)
        case .electrodeSupply: Role(node: 0, named: "A", .trapDC)
        case .rfSource: Role(node: 0, named: "A", .trapRF)
        case .detectorBias: Role(hub: .detectorBias)
        case .timeTagger: Role(hub: .tagger)
        case .pulseGenerator: Role(hub: .pulses)
        case .temperatureController: Role(node: 0, named: "A", .converterOven)
        }
    }

    /// Opens `model` over `link` and calls every operation; returns the names of the calls that succeeded.
    public static func exercise(_ model: InstrumentModel, over link: InstrumentLink) async -> [String] {
        let calls = Calls()
        let binding = DeviceBinding(role: role(for: model), model: model.name, port: "fuzz", options: model.example, line: 1)
        guard let lab = model.kind == .timeTagger ? fourInputLab : model.kind == .temperatureController ? ovenLab : lab,
              let opened = try? await builder.open(binding, config: lab, link: link) else { return calls.ok }
        switch opened {
        case let .laser(l): await laser(l, calls)
        case let .electrodeSupply(s): await electrodes(s, calls)
        case let .rfSource(s, _): await rfSource(s, calls)
        case let .detectors(d): await detectors(d, calls)
        case let .timeTagger(t): await tagger(t, calls)
        case let .pulseGenerator(p): await calls.attempt("program") { try await p.program(attempt ?? PulseSequence([])) }
        case let .temperatureController(t): await temperatureController(t, calls)
        }
        for call in model.extraCalls {
            await calls.attempt(call.name) { try await call.perform(opened.devices[0]) }
        }
        return calls.ok
    }

    /// The names of every call ``exercise(_:over:)`` makes on `model` after opening it.
    public static func calls(_ model: InstrumentModel) -> [String] {
        let kind: [String] = switch model.kind {
        case .laser: ["wavelength", "setPower", "powerSetpoint", "measuredPower", "status", "setEmission", "emissionOff"]
        case .electrodeSupply: ["setVoltage", "measuredVoltage"]
        case .rfSource: ["setFrequency", "frequency", "setPower", "power", "setOutput", "isOutputOn"]
        case .detectorBias: ["setBias", "bias", "setEnabled", "latchState", "recoverFromLatch"]
        case .timeTagger: ["stream"]
        case .pulseGenerator: ["program"]
        case .temperatureController: ["setSetpoint", "setpoint", "measuredTemperature", "setOutput", "isOutputOn"]
        }
        return kind + model.extraCalls.map(\.name)
    }

    /// The calls of one exercise that succeeded. Every error is described (its description must not trap).
    final class Calls: @unchecked Sendable {
        // @unchecked: one exercise uses it, call after call.
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

    // Setpoints inside the limits the lab gave, so that each call reaches the wire.

    private static func laser(_ l: any Laser, _ calls: Calls) async {
        await calls.attempt("wavelength") { _ = try await l.wavelength() }
        await calls.attempt("setPower") { try await l.setPower(l.powerLimit.upper * 0.5) }
        await calls.attempt("powerSetpoint") { _ = try await l.powerSetpoint() }
        await calls.attempt("measuredPower") { _ = try await l.measuredPower() }
        await calls.attempt("status") { _ = try await l.status() }
        await calls.attempt("setEmission") { try await l.setEmission(true) }
        await calls.attempt("emissionOff") { try await l.setEmission(false) }
    }

    private static func temperatureController(_ t: any TemperatureController, _ calls: Calls) async {
        let limit = t.setpointLimit
        await calls.attempt("setSetpoint") { try await t.setSetpoint(limit.lower + (limit.upper - limit.lower) * 0.5) }
        await calls.attempt("setpoint") { _ = try await t.setpoint() }
        await calls.attempt("measuredTemperature") { _ = try await t.measuredTemperature() }
        await calls.attempt("setOutput") { try await t.setOutput(true) }
        await calls.attempt("isOutputOn") { _ = try await t.isOutputOn() }
    }

    private static func electrodes(_ s: any ElectrodeSupply, _ calls: Calls) async {
        await calls.attempt("setVoltage") { try await s.setVoltage(s.voltageLimit.upper * 0.125, channel: 1) }
        await calls.attempt("measuredVoltage") { _ = try await s.measuredVoltage(channel: 1) }
    }

    private static func rfSource(_ rf: any RFSource, _ calls: Calls) async {
        let f = rf.frequencyLimit
        await calls.attempt("setFrequency") { try await rf.setFrequency(f.lower + (f.upper - f.lower) * 0.25) }
        await calls.attempt("frequency") { _ = try await rf.frequency() }
        await calls.attempt("setPower") { try await rf.setPower(rf.powerLimit.upper) }
        await calls.attempt("power") { _ = try await rf.power() }
        await calls.attempt("setOutput") { try await rf.setOutput(true) }
        await calls.attempt("isOutputOn") { _ = try await rf.isOutputOn() }
    }

    private static func detectors(_ all: [any PhotonDetector], _ calls: Calls) async {
        guard let d = all.first else { return }
        await calls.attempt("setBias") { try await d.setBias(d.biasLimit.upper * 0.5) }
        await calls.attempt("bias") { _ = try await d.bias() }
        await calls.attempt("setEnabled") { try await d.setEnabled(true) }
        await calls.attempt("latchState") { _ = try await d.latchState() }
        await calls.attempt("recoverFromLatch") { _ = try await d.recoverFromLatch() }
    }

    private static func tagger(_ t: any TimeTagger, _ calls: Calls) async {
        await calls.attempt("stream") {
            let stream = try await t.startStreaming()
            for await _ in stream { break }
            await t.stopStreaming()
        }
    }
}
