import Foundation
import IonLink
import IonLinkPhysics
import IonLinkSimulation
import IonLinkTags

/// Puts one opened instrument in its role's place in a lab: what a role of each kind needs around the
/// instrument (the simulated world mirrored, a trap controller wrapped), whatever the model.
struct RoleWiring {
    let binding: DeviceBinding
    let config: LabConfig

    var role: Role { binding.role }
    var node: Int { role.nodeIndex ?? 0 }
    var nodeConfig: NodeConfig { config.nodes[node] }
    var laserConfig: LaserConfig { role.part == .cooling ? nodeConfig.cooling : nodeConfig.excitation }

    /// A laser brought to the lab's setpoint, its emission mirrored into the simulated world; a converter's pump
    /// brought to the stage's pump power with its emission on.
    func laser(_ instrument: any Laser, into lab: inout Lab) async throws {
        if role.part == .converterPump {
            guard let stage = nodeConfig.conversion.first else { throw BindingError(binding: binding, message: "the node converts nothing") }
            try await instrument.setPower(stage.pumpPower)
            try await instrument.setEmission(true)
            lab.nodes[node].converterPump = instrument
            return
        }
        try await instrument.setPower(laserConfig.power)
        let simulated = role.part == .cooling ? lab.nodes[node].cooling : lab.nodes[node].excitation
        guard let mirror = simulated as? SimulatedLaser else { throw BindingError(binding: binding, message: "role bound twice") }
        let laser = WorldMirroringLaser(instrument: instrument, mirror: mirror)
        if role.part == .cooling { lab.nodes[node].cooling = laser } else { lab.nodes[node].excitation = laser }
    }

    /// A trap whose electrodes are the supply's channels from `first_channel` on.
    func electrodes(_ supply: any ElectrodeSupply, request: InstrumentRequest, into lab: inout Lab) throws {
        let first = try request.int("first_channel", default: 1, in: 1...supply.channelCount)
        lab.nodes[node].trap = TrapControllerWithElectrodes(base: lab.nodes[node].trap, supply: supply, firstChannel: first)
    }

    /// A trap whose RF drive is the source's output (amplitude = κ·√P), set to the lab's drive.
    func rf(_ source: any RFSource, voltsPerRootMilliwatt kappa: Double, into lab: inout Lab) async throws {
        let trap = nodeConfig.trap
        let wrapped = TrapControllerWithRF(base: lab.nodes[node].trap, source: source, voltsPerRootMilliwatt: kappa,
                                           amplitudeLimit: SetpointLimit(.zero, trap.maxRFAmplitude))
        try await wrapped.setRF(RFDrive(frequency: trap.rfFrequency, amplitude: trap.rfAmplitude))
        lab.nodes[node].trap = wrapped
    }

    /// The hub's tagger, and the attempt loop as it sees it: each sync an attempt, heralds decided by the
    /// herald engine on its tags. A herald leaves the model's heralded state for the traps' readout. A
    /// recording (`playback`) brings its attempts and photons with it; a live tagger sees the attempts of
    /// the bound pulse generator, which fires each burst with its herald stop enabled.
    func tagger(_ tagger: any TimeTagger, model: LabModel, simulation: SimulatedLab?, into lab: inout Lab) throws {
        let generator = tagger is PlaybackTagger ? nil : lab.pulses as? any BurstFiring
        guard tagger is PlaybackTagger || generator != nil else {
            throw BindingError(binding: binding, message: "a live tagger sees attempts only when a bound pulse generator makes them: "
                                                      + "bind hub.pulses to one that fires bursts (dg645, qc9520), or bind `playback` "
                                                      + "to rerun recorded tags")
        }
        let missing = Set(config.hub.channels + [config.hub.syncChannel]).subtracting(tagger.channels)
        guard missing.isEmpty else {
            throw BindingError(binding: binding, message: "the recording has no tags on channel(s) \(missing.sorted()) of the lab's slots and sync")
        }
        let states = (0..<4).map { model.budget.model.state(for: $0) }
        let world = simulation?.world
        lab.tagger = tagger
        lab.attemptLoop = TaggedAttemptLoop(tagger: tagger, layout: model.slotLayout, attemptPeriod: model.attemptPeriod, clock: lab.clock,
                                           generator: generator) {
            event in
            guard let k = HeraldPattern.all.firstIndex(of: event.pattern) else { return }
            world?.withState { $0.ionPairState = states[k] }
        }
    }

    /// A node's converter oven, brought to the stage's setpoint with its heater on, and waited for (on the wall clock:
    /// the oven is an instrument) until its load is within a tenth of the phase-matching acceptance (at least 0.1 °C,
    /// the controller's resolution) of the setpoint, for at most `settle_timeout_s` (default 900 s): the model's
    /// conversion efficiency holds only once the crystal is there.
    func converterOven(_ oven: any TemperatureController, request: InstrumentRequest, into lab: inout Lab) async throws {
        guard let config = nodeConfig.conversion.first?.oven else {
            throw BindingError(binding: binding, message: "the node's first conversion stage has no oven")
        }
        let timeout = Duration.secondsDouble(try request.double("settle_timeout_s", default: 900, in: 0...86_400))
        try await oven.setSetpoint(config.setpoint)
        try await oven.setOutput(true)
        let tolerance = max(0.1, config.acceptanceFWHM / 10)
        let clock = ContinuousClock(), deadline = clock.now + timeout
        // A read that loses its reply is read again (up to three times in a row): a long settle makes many reads.
        func read() async throws(TemperatureControllerError) -> Temperature {
            try await retryingTransient(retries: 3, pause: .milliseconds(200)) { () throws(TemperatureControllerError) in
                try await oven.measuredTemperature()
            }
        }
        var t = try await read()
        while abs(t.kelvin - config.setpoint.kelvin) > tolerance {
            guard clock.now < deadline else {
                throw BindingError(binding: binding, message: "the oven reads \(t), not within \(tolerance) K of its setpoint \(config.setpoint) "
                                   + "after \(timeout) (settle_timeout_s)")
            }
            try await Task.sleep(for: .milliseconds(200))
            t = try await read()
        }
        lab.nodes[node].converterOven = oven
    }

    /// The hub's detectors, each biased to the lab's setpoint.
    func detectors(_ detectors: [any PhotonDetector], into lab: inout Lab) async throws {
        for d in detectors { try await d.setBias(config.hub.detector.bias) }
        lab.detectors = detectors
    }

    /// A node's readout counter (counting singles over the trap's readout duration) or its qubit drive
    /// (brought to the lab's frequency and π/2 power, output off), kept until both are open.
    func readout(_ opened: OpenedInstrument, request: InstrumentRequest, into parts: inout ReadoutParts) async throws {
        switch opened {
        case let .timeTagger(tagger):
            guard let counter = tagger as? any PhotonCounter else {
                throw BindingError(binding: binding, message: "\(binding.model) cannot count singles over a gate")
            }
            parts.channel = try request.int("channel", default: 0, in: 0...Int(Int32.max))
            parts.counter = counter
        case let .rfSource(source, _):
            guard let drive = source as? any QubitDrive else {
                throw BindingError(binding: binding, message: "\(binding.model) cannot set its phase for the analysis pulses")
            }
            guard let readout = nodeConfig.trap.thresholdReadout else {
                throw BindingError(binding: binding, message: "the trap has no threshold_readout")
            }
            try await drive.setFrequency(readout.driveFrequency)
            try await drive.setPower(readout.drivePower)
            try await drive.setOutput(false)
            parts.drive = drive
        default:
            throw BindingError(binding: binding, message: "\(binding.model) cannot serve \(role)")
        }
    }
}

/// A node's readout instruments, as the lab builder opens them.
struct ReadoutParts {
    var counter: (any PhotonCounter)?
    var drive: (any QubitDrive)?
    var channel = 0
}
