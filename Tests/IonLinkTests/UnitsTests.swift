import Testing
@testable import IonLink

@Suite struct UnitsTests {
    @Test func probabilityRejectsOutOfRange() {
        #expect(throws: UnitError.self) { try Probability(1.01) }
        #expect(throws: UnitError.self) { try Probability(-0.1) }
        #expect(throws: UnitError.self) { try Probability(.nan) }
        #expect((try? Probability(0.25))?.value == 0.25)
    }

    @Test func picosecondDurationsRoundTrip() {
        for ps: Int64 in [0, 1, 999, 1_000_000_000_001, -7_000, 86_400_000_000_000_000] {
            #expect(Duration.picoseconds(ps).inPicoseconds == ps)
        }
        #expect(Duration.secondsDouble(1.5e-9).inPicoseconds == 1500)
        #expect(abs(Duration.milliseconds(3).inSeconds - 3e-3) < 1e-15)
    }

    @Test func fiberTransmissionFollowsDecibels() {
        // 3.0103 dB is a factor of two.
        let a = Attenuation.dBPerKm(3.0103)
        #expect(abs(a.transmission(over: .kilometers(1)) - 0.5) < 1e-5)
        #expect(abs(a.transmission(over: .kilometers(2)) - 0.25) < 1e-5)
        #expect(Attenuation.dBPerKm(10).transmission(over: .meters(0)) == 1)
    }

    @Test func quantitiesKeepTheirUnits() {
        #expect(Power.milliwatts(5).watts == 0.005)
        #expect(Current.microamperes(12).amperes == 12e-6)
        #expect(abs(Wavelength.nanometers(493.5).si - 493.5e-9) < 1e-18)
        #expect(Power.milliwatts(2) < Power.milliwatts(3))
        let limit = SetpointLimit(Power.zero, .milliwatts(10))
        #expect(limit.allows(.milliwatts(10)))
        #expect(!limit.allows(.milliwatts(10.001)))
        #expect(!limit.allows(Power(si: .nan)))
    }

    @Test func seededGeneratorIsReproducible() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let sa = (0..<8).map { _ in a.next() }, sb = (0..<8).map { _ in b.next() }, sc = (0..<8).map { _ in c.next() }
        #expect(sa == sb)
        #expect(sa != sc)
        var g = SeededGenerator(seed: 1)
        for _ in 0..<10_000 { let u = g.nextOpenUnit(); #expect(u > 0 && u <= 1) }
    }
}
