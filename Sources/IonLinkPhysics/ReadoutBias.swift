import IonLink

/// What imperfect qubit readout does to a verified fidelity.
///
/// A readout that reports the right eigenvalue with probability f flips it with probability 1 − f,
/// independently at each node. An aligned parity ±1 then flips with probability
/// q = f_A(1 − f_B) + (1 − f_A)f_B, so every correlator is scaled by 1 − 2q = (2f_A − 1)(2f_B − 1).
/// The estimator F̂ = (1 + C_X + C_Y + C_Z)/4 (``VerificationTally``) is linear in the correlators, so its
/// expectation is ¼ + (2f_A − 1)(2f_B − 1)(F − ¼): the fidelity a run *measures* for heralded states of
/// true fidelity F. (Derived here; `ReadoutBiasTests` checks it against the simulated traps' readout of a
/// known state, shot by shot.)
public enum ReadoutBias {
    /// The factor (2f_A − 1)(2f_B − 1) by which readout error scales every two-qubit correlator.
    public static func correlatorScale(readoutA: Probability, readoutB: Probability) -> Double {
        (2 * readoutA.value - 1) * (2 * readoutB.value - 1)
    }

    /// The expected verified fidelity, ¼ + (2f_A − 1)(2f_B − 1)(F − ¼).
    public static func expectedVerifiedFidelity(_ fidelity: Double, readoutA: Probability, readoutB: Probability) -> Double {
        0.25 + correlatorScale(readoutA: readoutA, readoutB: readoutB) * (fidelity - 0.25)
    }
}
