import Testing
import IonLink

extension HIL {
    /// Sets `power` and reads the setpoint back, switches emission on and lets the output ramp for
    /// 200 ms to within `tolerance` of it, then switches emission off again.
    static func checkPowerRamp(_ laser: some Laser, to power: Power, tolerance: Power = .milliwatts(0.3)) async throws {
        try await laser.setPower(power)
        #expect(abs(try await laser.powerSetpoint().milliwatts - power.milliwatts) < 1e-3)
        try await laser.setEmission(true)
        try await Task.sleep(for: .milliseconds(200))
        let out = try await laser.measuredPower()
        #expect(abs(out.milliwatts - power.milliwatts) < tolerance.milliwatts, "output \(out) after the ramp")
        try await laser.setEmission(false)
        #expect(try await laser.status().emitting == false)
    }
}
