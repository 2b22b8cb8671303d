import IonLink

/// An emulated instrument that makes attempts (a pulse generator firing bursts).
public protocol BurstMaking: AnyObject {
    var bursts: (any BurstSink)? { get set }
}

/// An emulated instrument that tags what its inputs see (a time tagger).
public protocol TimestampTaking: AnyObject {
    var source: (any TimestampSource)? { get set }
}

extension SRSDG645Emulator: BurstMaking {}
extension QuantumComposers9520Emulator: BurstMaking {}
extension SFifteenTDC1Emulator: TimestampTaking {}

extension EmulatedWorld {
    /// Connects an emulator to this world where the physics joins it to the others: a pulse
    /// generator's bursts make the world's attempts; a tagger sees its syncs and clicks; the laser
    /// serving a node's excitation sets that node's excitation by the power it emits; the SIM900 rack
    /// serving the detectors' bias makes each detector live or dead as its SIM928 biases or latches its
    /// wire (the k-th of the lab's detector channels, in order, on the k-th of the binding's
    /// `source_ports`, 1…4 by default, as the driver has it), its efficiency following the bias along the
    /// lab's curve; a node's readout counter counts its ion's
    /// fluorescence, and its qubit drive's phase, while on, sets the analysis pulse before each count.
    /// Returns whether it was connected (other kinds, lasers serving cooling and synthesisers serving trap
    /// RF keep their own behaviour).
    @discardableResult
    public func attach(_ emulator: any InstrumentEmulator, serving binding: DeviceBinding? = nil) -> Bool {
        switch emulator {
        case let g as any BurstMaking:
            g.bursts = self
        case let t as any TimestampTaking:
            if let binding, binding.role.part == .readout, let node = binding.role.nodeIndex {
                // A node's fluorescence counter: its channel (0 = input 1) sees the ion.
                let channel = binding.options["channel"].flatMap { Int($0) } ?? 0
                guard (0..<8).contains(channel) else { return false }
                t.source = TaggerInputs(world: self, sees: .readout(node: node, input: UInt8(1 << channel)))
            } else if let binding, [.tagger, .tagger2].contains(binding.role.part),
                      let map = try? binding.taggerInputs(count: 8, first: 0) {
                // A unit with `inputs`: it sees the lab channels its inputs take (a second unit: its own view).
                let inputs = Dictionary(map.map { ($0.value, UInt8(1 << $0.key)) }, uniquingKeysWith: { a, _ in a })
                t.source = binding.role.part == .tagger ? setPrimaryInputs(inputs) : addView(inputs: inputs)
            } else {
                t.source = self
            }
        case let synth as WindfreakSynthHDEmulator:
            guard let binding, binding.role.part == .qubitDrive, let node = binding.role.nodeIndex else { return false }
            let channel = binding.options["channel"].flatMap { Int($0) } ?? 0
            guard synth.emissions.indices.contains(channel) else { return false }
            synth.emissionChanged = { [weak self] k, e in
                if k == channel { self?.setQubitDrive(node: node, phase: e.on ? .degrees(e.phaseDegrees) : nil) }
            }
            let e = synth.emissions[channel]
            setQubitDrive(node: node, phase: e.on ? .degrees(e.phaseDegrees) : nil)
        case let laser as any LightEmitting:
            guard let binding, binding.role.part == .excitation, let node = binding.role.nodeIndex else { return false }
            laser.emissionChanged = { [weak self] power in self?.setExcitationPower(node: node, power) }
            setExcitationPower(node: node, laser.emittedPower)
        case let rack as SIM900Emulator:
            guard let binding, binding.role.part == .detectorBias else { return false }
            let ports = binding.options["source_ports"].map { $0.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
                ?? [1, 2, 3, 4]
            for (channel, port) in zip(detectorChannels, ports) {
                guard let source = rack.modules[port] as? SIM928Emulator else { continue }
                // The wires are the lab's: they switch at its switching current.
                source.circuit.switchingCurrentAmps = switchingCurrent.amperes
                source.circuit.liveChanged = { [weak self] live in self?.setChannelLive(channel, live) }
                source.circuit.currentChanged = { [weak self] amps in self?.setChannelBias(channel, .amperes(amps)) }
                setChannelLive(channel, source.circuit.isLive)
                setChannelBias(channel, .amperes(source.circuit.currentAmps))
            }
        default:
            return false
        }
        return true
    }
}

extension EmulatedWorld {
    /// What one emulated tagger's inputs see of the world: a further unit of the hub tagger (its own view of
    /// the events, the sync on every unit), or a node's fluorescence counter (each gate one readout of its ion).
    final class TaggerInputs: TimestampSource, @unchecked Sendable {
        // @unchecked: immutable after init; the world it reads is locked.
        enum Sees {
            case view(Int)
            case readout(node: Int, input: UInt8)
        }

        weak var world: EmulatedWorld?
        let sees: Sees

        init(world: EmulatedWorld, sees: Sees) {
            self.world = world
            self.sees = sees
        }

        func acquire(picoseconds: Int64) -> [TimestampEvent] {
            guard let world else { return [] }
            switch sees {
            case let .view(v): return world.acquire(view: v, picoseconds: picoseconds)
            case let .readout(node, input): return world.readout(node: node, gatePicoseconds: picoseconds, input: input)
            }
        }

        func discard() {
            if case let .view(v) = sees { world?.discard(view: v) }
        }

        var clockPicoseconds: Int64? {
            guard case let .view(v) = sees else { return nil }
            return world?.clock(view: v)
        }
    }

    /// How far each further unit's clock stands from the first's: 1.234567891 ms.
    static let unitClockOffset: Int64 = 1_234_567_891

    /// The hub tagger's inputs, as its `inputs` maps them; returns the world as its source.
    func setPrimaryInputs(_ inputs: [Int32: UInt8]) -> any TimestampSource {
        state.withLock { $0.views[0].inputs = inputs }
        return self
    }

    /// A further unit's view. Its clock runs with the lab's but stands elsewhere, as a second unit's does
    /// (the merger aligns units by their syncs, never by their clocks); the TDC1 emulator reads its clock
    /// from here (``TimestampSource/clockPicoseconds``).
    func addView(inputs: [Int32: UInt8]) -> any TimestampSource {
        let index = state.withLock { s in
            s.views.append(View(inputs: inputs, now: s.views[0].now, offset: Self.unitClockOffset * Int64(s.views.count)))
            return s.views.count - 1
        }
        return TaggerInputs(world: self, sees: .view(index))
    }
}
