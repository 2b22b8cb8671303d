import Foundation
import IonLink
import IonLinkDrivers
import IonLinkMocks
import IonLinkPhysics
import IonLinkTags

extension InstrumentCatalog {
    /// Every instrument model IonLink has a driver and an emulator for. One entry per model; the wire
    /// protocols are summarised in docs/wire-protocols.md.
    public static let standard = InstrumentCatalog(models: [
        InstrumentModel(
            name: "obis", summary: "Coherent OBIS LX/LS laser (SCPI, 115200 8N1)",
            probe: IdentificationProbe(query: "*IDN?\r\n", settings: CoherentOBIS.serialSettings) { $0.first { $0.contains("OBIS") } },
            emulator: .serial(usb: usb(0x0D4D, 0x003D, "EMU-OBIS-1", "Coherent", "OBIS"), make: { CoherentOBISEmulator() }),
            connect: .laser { r, c in
                try await CoherentOBIS.connect(name: r.name, maxPower: c.maxPower, logger: r.logger,
                                               session: r.lineSession(CoherentOBIS.framing, settings: CoherentOBIS.serialSettings))
            }),
        InstrumentModel(
            name: "cobolt", summary: "Cobolt 06-01 / 08-01 laser (115200 8N1, one reply line per command)",
            probe: IdentificationProbe(query: "gsn?\r", settings: Cobolt0601.serialSettings) { lines in
                lines.first.flatMap { !$0.isEmpty && $0.allSatisfy(\.isNumber) ? "Cobolt laser s/n \($0)" : nil }
            },
            emulator: .serial(usb: usb(0x0403, 0x6001, "EMU-COBOLT-1", "FTDI", "Cobolt Laser"), make: { Cobolt0601Emulator() }),
            connect: .laser { r, c in
                try await Cobolt0601.connect(name: r.name, wavelength: c.wavelength, maxPower: c.maxPower, logger: r.logger,
                                             session: r.lineSession(Cobolt0601.framing, settings: Cobolt0601.serialSettings))
            },
            extraCalls: [ModelCall("clearFault", on: Cobolt0601.self) { try await $0.clearFault() }]),
        InstrumentModel(
            name: "ibeam", summary: "Toptica iBeam smart diode laser (115200 8N1, framed replies with [OK])",
            probe: IdentificationProbe(query: "ver\r\n", settings: TopticaIBeamSmart.serialSettings) { $0.first { $0.contains("iBEAM") } },
            emulator: .serial(usb: usb(0x0403, 0x6001, "EMU-IBEAM-1", "TOPTICA", "iBeam smart"), make: { TopticaIBeamSmartEmulator() }),
            connect: .laser { r, c in
                try await TopticaIBeamSmart.connect(name: r.name, wavelength: c.wavelength, maxPower: c.maxPower, logger: r.logger,
                                                    session: r.lineSession(TopticaIBeamSmart.framing, settings: TopticaIBeamSmart.serialSettings))
            }),
        InstrumentModel(
            name: "itc4001", summary: "Thorlabs ITC4001 laser-diode/TEC controller (USBTMC)", options: ["max_current_ma"],
            example: ["max_current_ma": "120"], probe: nil,
            emulator: .usbtmc(vendorID: ThorlabsITC4001.vendorID, productID: ThorlabsITC4001.productID, serialNumber: "M00EMU001",
                              make: { ThorlabsITC4001Emulator(serialNumber: "M00EMU001") }),
            connect: .laser { r, c in
                let maxCurrent = Current.milliamperes(try r.double("max_current_ma", in: 0...4000))
                let scpi = try r.scpi(vendorID: ThorlabsITC4001.vendorID, productID: ThorlabsITC4001.productID,
                                      refusal: "an ITC4001 is 1313:804a", as: LaserError.self)
                return try await ThorlabsITC4001.connect(name: r.name, wavelength: c.wavelength, maxPower: c.maxPower, maxCurrent: maxCurrent,
                                                         scpi: scpi)
            },
            extraCalls: [
                ModelCall("measuredCurrent", on: ThorlabsITC4001.self) { _ = try await $0.measuredCurrent() },
                ModelCall("setTemperature", on: ThorlabsITC4001.self) { try await $0.setTemperature(celsius: 22.5) },
                ModelCall("temperature", on: ThorlabsITC4001.self) { _ = try await $0.temperatureCelsius() },
            ]),
        InstrumentModel(
            name: "stahl", summary: "Stahl Electronics BS DC supply for trap electrodes (115200 8N1, CR, decimal comma)",
            probe: IdentificationProbe(query: "IDN\r", settings: StahlBS.serialSettings) { lines in
                lines.first.flatMap { $0.hasPrefix("BS") ? "Stahl \($0)" : nil }
            },
            emulator: .serial(usb: usb(0x0403, 0x6001, "EMU-STAHL-1", "FTDI", "BS-Series"), make: { StahlBSEmulator() }),
            connect: .electrodeSupply { r, trap in
                try await StahlBS.connect(name: r.name, limit: trap.electrodeLimit, logger: r.logger,
                                          session: r.lineSession(StahlBS.framing, settings: StahlBS.serialSettings))
            },
            extraCalls: [ModelCall("temperature", on: StahlBS.self) { _ = try await $0.temperatureCelsius() }]),
        InstrumentModel(
            name: "synthhd", summary: "Windfreak SynthHD RF synthesiser (USB CDC, unterminated commands)", options: ["channel"],
            probe: IdentificationProbe(query: "+\r\n", settings: WindfreakSynthHD.serialSettings) { $0.first { $0.contains("SynthHD") } },
            emulator: .serial(usb: usb(0x16D0, 0x0557, "EMU-SYNTHHD-1", "Windfreak Technologies", "SynthHD", .cdcACM),
                              make: { WindfreakSynthHDEmulator() }),
            connect: .rfSource { r, maxPower in
                let channel = try r.int("channel", default: 0, in: 0...1)
                let synth = try await WindfreakSynthHD.connect(
                    name: r.name, logger: r.logger, session: r.lineSession(WindfreakSynthHD.framing, settings: WindfreakSynthHD.serialSettings))
                let lowest = WindfreakSynthHD.instrumentPowerRange.lower
                return synth.output(channel, frequencyLimit: WindfreakSynthHD.instrumentFrequencyRange,
                                    powerLimit: SetpointLimit(lowest, max(lowest, maxPower)))
            },
            // Its phase, for a node's qubit drive.
            extraCalls: [ModelCall("setPhase", on: WindfreakSynthHD.Output.self) { try await $0.setPhase(.degrees(270)) },
                         ModelCall("phase", on: WindfreakSynthHD.Output.self) { _ = try await $0.phase() }]).probedFirst,
        InstrumentModel(
            name: "dsg800", summary: "Rigol DSG830 RF generator (USBTMC)",
            probe: nil,
            emulator: .usbtmc(vendorID: RigolDSG800.vendorID, productID: 0x099C, serialNumber: "DSG8EMU0001",
                              make: { RigolDSG800Emulator(serialNumber: "DSG8EMU0001") }),
            connect: .rfSource { r, maxPower in
                let scpi = try r.scpi(vendorID: RigolDSG800.vendorID, refusal: "a Rigol instrument's vendor is 1ab1", as: RFSourceError.self)
                let lowest = RigolDSG800.instrumentPowerRange.lower
                return try await RigolDSG800.connect(name: r.name, frequencyLimit: RigolDSG800.instrumentFrequencyRange,
                                                     powerLimit: SetpointLimit(lowest, max(lowest, maxPower)), scpi: scpi)
            }),
        InstrumentModel(
            name: "sim900",
            summary: "SRS SIM900 with SIM928s (ports 1–4) biasing four SNSPDs and a SIM970 (port 7, ch 1–4) across their bias resistors",
            options: ["source_ports", "voltmeter_port", "bias_resistor_ohm"],
            probe: IdentificationProbe(query: "*IDN?\n", settings: SIM900.serialSettings) { $0.first { $0.contains("SIM900") } },
            emulator: .serial(usb: usb(0x0403, 0x6001, "EMU-SIM900-1", "FTDI", "USB-RS232 Cable"),
                              make: { SIM900Emulator.snspdBiasRack(circuits: (0..<4).map { _ in SNSPDCircuit() }) }),
            connect: .detectorBias { r, hub in try await SNSPDBiasRack.connect(r, hub: hub) }),
        InstrumentModel(
            name: "tdc1", summary: "S-Fifteen TDC1 time tagger (text commands; 32-bit timestamp words)", options: ["acquisition_ms", "quiet_ms"],
            example: ["acquisition_ms": "1"],
            probe: IdentificationProbe(query: "*IDN?\r\n", settings: SFifteenTDC1.serialSettings) { $0.first { $0.contains("TDC1") } },
            emulator: .serial(usb: usb(0x04D8, 0xF8B8, "EMU-TDC1-1", "S-Fifteen Instruments", "TDC1", .cdcACM), make: { SFifteenTDC1Emulator() }),
            connect: .timeTagger { r, use in
                // Each read of timestamps lasts one acquisition; it must end before the tagger's 268 ms time wrap.
                // As a counter, its acquisition is the readout's gate (checked against countingGate with the lab).
                let quiet = Duration.milliseconds(try r.int("quiet_ms", default: 30, in: 1...1000))
                let (acquisition, sync): (Duration, Int32?) = switch use {
                case let .hub(hub):
                    // With `inputs` (units sharing the sync), the sync is on the input that lists its channel.
                    (.milliseconds(try r.int("acquisition_ms", default: 100, in: 1...200)),
                     try TaggerUnits.map(r.binding, inputs: 0...3)?.first { $0.value == hub.syncChannel }?.key ?? hub.syncChannel)
                case let .counter(gate): (gate, nil)
                }
                return try await SFifteenTDC1.connect(name: r.name, acquisition: acquisition, syncInput: sync, quiet: quiet,
                                                      logger: r.logger,
                                                      session: r.lineSession(SFifteenTDC1.framing, settings: SFifteenTDC1.serialSettings))
            },
            extraCalls: [ModelCall("singles", on: SFifteenTDC1.self) { _ = try await $0.singles() }],
            // Inputs 1–4; `time` takes whole milliseconds (the driver keeps each under the 268 ms wrap).
            taggerInputs: 0...3, countingGate: CountingGate(step: .milliseconds(1), steps: 1...200)),
        InstrumentModel(
            name: "dg645", summary: "SRS DG645 digital delay generator (RS-232, LF in / CR LF out, silent sets, LERR? queue)",
            options: ["pump_output", "excite_output", "detect_output", "baud"],
            probe: IdentificationProbe(query: "*IDN?\n", settings: SRSDG645.serialSettings) { $0.first { $0.contains(",DG645,") } },
            emulator: .serial(usb: usb(0x0403, 0x6001, "EMU-DG645-1", "FTDI", "USB-RS232 Cable"), make: { SRSDG645Emulator() }),
            connect: .pulseGenerator { r, config in
                let outputs = try PulseOutputs.map(r, defaults: SRSDG645.defaultOutputs, names: "AB, CD, EF or GH", SRSDG645.Output.init(name:))
                try PulseOutputs.check(r, config: config, outputs: outputs, timing: SRSDG645.timing)
                let baud = try r.int("baud", default: 9_600, in: 4_800...115_200)
                guard SRSDG645.baudRates.contains(baud) else { throw r.refuse("baud must be one of \(SRSDG645.baudRates)") }
                let settings = SerialSettings(baudRate: baud, flowControl: .rtsCts)
                return try await SRSDG645.connect(name: r.name, outputs: outputs, logger: r.logger,
                                                  session: r.lineSession(SRSDG645.framing, settings: settings))
            },
            extraCalls: [
                ModelCall("armBurst", on: SRSDG645.self) { try await $0.armBurst(count: 100) },
                ModelCall("trigger", on: SRSDG645.self) { try await $0.trigger() },
                ModelCall("instrumentStatus", on: SRSDG645.self) { _ = try await $0.instrumentStatus() },
            ]),
        InstrumentModel(
            name: "qc9520", summary: "Quantum Composers 9520-series (or BNC 577) pulse generator (USB serial, CR LF, ok/?n replies)",
            options: ["pump_output", "excite_output", "detect_output", "baud"],
            probe: IdentificationProbe(query: "*IDN?\r\n", settings: QuantumComposers9520.serialSettings) { lines in
                lines.first { $0.hasPrefix("QC,952") || $0.hasPrefix("BNC,577") }
            },
            emulator: .serial(usb: usb(0x04D8, 0x000A, "EMU-QC9520-1", "Quantum Composers", "9524 Pulse Generator", .cdcACM),
                              make: { QuantumComposers9520Emulator() }),
            connect: .pulseGenerator { r, config in
                let outputs = try PulseOutputs.map(r, defaults: QuantumComposers9520.defaultOutputs, names: "A … H",
                                                   QuantumComposers9520.Channel.init(name:))
                try PulseOutputs.check(r, config: config, outputs: outputs, timing: QuantumComposers9520.timing)
                let baud = try r.int("baud", default: 38_400, in: 9_600...115_200)
                guard [9_600, 19_200, 38_400, 57_600, 115_200].contains(baud) else {
                    throw r.refuse("baud must be 9600, 19200, 38400, 57600 or 115200")
                }
                let session = try r.lineSession(QuantumComposers9520.framing, settings: SerialSettings(baudRate: baud))
                return try await QuantumComposers9520.connect(name: r.name, outputs: outputs, logger: r.logger, session: session)
            },
            extraCalls: [
                ModelCall("armBurst", on: QuantumComposers9520.self) { try await $0.armBurst(count: 100) },
                ModelCall("trigger", on: QuantumComposers9520.self) { try await $0.trigger() },
            ]),
        InstrumentModel(
            name: "playback", summary: "a recorded PicoQuant file (PTU, PT2/PT3, HT2/HT3) played as a live tagger; port: the file",
            options: ["pace"], probe: nil, emulator: nil,
            connect: .timeTagger { r, use in
                guard case let .hub(hub) = use else { throw r.refuse("a recording cannot count a node's fluorescence") }
                let pace: PlaybackTagger.Pace
                switch r.binding.options["pace"] {
                case nil, "fast": pace = .asFastAsPossible
                case "recorded": pace = .recorded(speed: 1)
                default: pace = .recorded(speed: try r.double("pace", default: 1, in: 1e-3...1e6))
                }
                let file = URL(fileURLWithPath: r.binding.port)
                do {
                    return try PlaybackTagger(name: r.name, file: file, syncChannel: hub.syncChannel, pace: pace)
                } catch { throw r.refuse("\(r.binding.port): \(error)") }
            }, isRecording: true),
        InstrumentModel(
            name: "tc200", summary: "Thorlabs TC200 heater controller for a converter's crystal oven (115200 8N1, echo and `> ` prompt)",
            probe: IdentificationProbe(query: "id?\r", settings: ThorlabsTC200.serialSettings) { lines in
                lines.first { $0.contains("TC200") }.map { $0.replacingOccurrences(of: "id?", with: "").trimmingCharacters(in: .whitespaces) }
            },
            emulator: .serial(usb: usb(0x0403, 0x6001, "EMU-TC200-1", "FTDI", "TC200"), make: { ThorlabsTC200Emulator() }),
            connect: .temperatureController { r, oven in
                try await ThorlabsTC200.connect(name: r.name, limit: oven.setpointLimit, logger: r.logger,
                                                session: r.lineSession(ThorlabsTC200.framing, settings: ThorlabsTC200.serialSettings))
            }),
    ])

    private static func usb(_ vendor: UInt16, _ product: UInt16, _ serial: String, _ maker: String, _ name: String,
                            _ attachment: SerialAttachment = .usbSerial) -> VirtualUSBIdentity {
        VirtualUSBIdentity(vendorID: vendor, productID: product, serialNumber: serial, manufacturer: maker, product: name, attachment: attachment)
    }
}

/// A pulse generator's outputs by role, from the binding's `pump_output`, `excite_output` and
/// `detect_output` (`CD`, or `CD,EF`: one output per pulse of the role in an attempt; `none` for none).
enum PulseOutputs {
    static func map<O: Hashable>(_ r: InstrumentRequest, defaults: [PulseRole: [O]], names: String, _ parse: (String) -> O?) throws
        -> [PulseRole: [O]]
    {
        var outputs = defaults
        for (role, key) in [(PulseRole.pump, "pump_output"), (.excite, "excite_output"), (.detect, "detect_output")] {
            guard let text = r.binding.options[key] else { continue }
            if text.trimmingCharacters(in: .whitespaces).lowercased() == "none" {
                outputs[role] = []
                continue
            }
            let list = text.split(separator: ",").map { parse($0.trimmingCharacters(in: .whitespaces)) }
            guard !list.isEmpty, list.allSatisfy({ $0 != nil }) else { throw r.refuse("\(key) must list outputs \(names), found '\(text)'") }
            guard Set(list.compactMap { $0 }).count == list.count else { throw r.refuse("\(key) names an output twice: '\(text)'") }
            outputs[role] = list.compactMap { $0 }
        }
        return outputs
    }

    /// Refuses, before the port is opened, a lab whose attempt the generator cannot produce on `outputs`
    /// (a step below its edge grid, a period outside its range, a role with too few outputs): bad config,
    /// named with the binding's line, and nothing sent.
    static func check<O: Hashable & Sendable & CustomStringConvertible>(_ r: InstrumentRequest, config: LabConfig,
                                                                          outputs: [PulseRole: [O]], timing: PulseTiming) throws {
        let sequence: PulseSequence
        do { sequence = try LabModel(config: config).attemptSequence } catch { return }  // the lab's own error is reported elsewhere
        do { _ = try PulsePlan(sequence, outputs: outputs, timing: timing, device: r.name) } catch {
            throw r.refuse("the lab's attempt cannot be produced: \(error)")
        }
    }
}

/// The SNSPD bias of a SIM900 rack: the k-th detector's SIM928 in `source_ports[k]`, its bias resistor
/// read on channel k+1 of the SIM970 in `voltmeter_port`.
enum SNSPDBiasRack {
    static func connect(_ r: InstrumentRequest, hub: HubConfig) async throws -> [any PhotonDetector] {
        let channels = hub.detectorChannels
        let sources = try r.ints("source_ports", default: [1, 2, 3, 4], in: 1...8)
        guard sources.count >= channels.count else {
            throw r.refuse("source_ports needs \(channels.count) SIM900 ports (1–8), one per detector")
        }
        let voltmeter = try r.int("voltmeter_port", default: 7, in: 1...8)
        let ohms = try r.double("bias_resistor_ohm", default: 100_000, in: 1...1e9)
        let d = hub.detector
        let mainframe = try await SIM900.connect(
            name: "hub.sim900", moduleTimeout: r.timeout(.seconds(2)), logger: r.logger,
            session: r.lineSession(SIM900.framing, settings: SIM900.serialSettings, timeout: .milliseconds(800)))
        var detectors: [any PhotonDetector] = []
        for (k, channel) in channels.enumerated() {
            let chain = try await SNSPDBiasChain.connect(
                name: "hub.detector\(channel)", channel: channel, mainframe: mainframe, sourcePort: sources[k], voltmeterPort: voltmeter,
                voltmeterChannel: k + 1, biasResistorOhms: ohms, biasLimit: SetpointLimit(.zero, d.maxBias), spec: d.spec)
            detectors.append(chain)
        }
        return detectors
    }
}
