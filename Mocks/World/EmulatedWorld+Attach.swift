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
    /// generator's bursts make the world's attempts, a tagger sees its syncs and clicks. Returns
    /// whether it was connected (other kinds keep their own behaviour).
    @discardableResult
    public func attach(_ emulator: any InstrumentEmulator) -> Bool {
        switch emulator {
        case let g as any BurstMaking:
            g.bursts = self
            return true
        case let t as any TimestampTaking:
            t.source = self
            return true
        default:
            return false
        }
    }
}
