#!/usr/bin/env python3
"""Independent reference for IonLink's heralded two-ion state, built with QuTiP.

Reads a JSON list of grid points from stdin: {"eta_a", "eta_b", "visibility", "dark"}, and optionally a frequency
converter's figures: "polarization_fidelity_a"/"_b" (the converter's process fidelity on the photon's polarization)
and the rates that make the per-slot click probability instead of "dark": "dark_rate_hz", "noise_a_hz"/"noise_b_hz"
(converter noise photons/s entering each node's fiber), "fiber_a"/"fiber_b" (fiber transmissions),
"detector_efficiency", "window_s" and "detectors".
Writes a JSON list with, per point, the probability of each herald pattern and the fidelity of the
heralded state with psi+ and psi-, in IonLink's pattern order (psi-[c0,d1], psi-[d0,c1], psi+[c0,c1],
psi+[d0,d1]; slot = (output c|d, mode 0|1)).

The construction shares nothing with IonLink's enumeration: each ion is entangled with its photon,
(|0>|mode 0> + |1>|mode 1>)/sqrt2; photon B carries an internal label overlapping A's by sqrt(V); the
50:50 beam splitter maps a -> (c + d)/sqrt2 and b -> (c - d)/sqrt2 on creation operators in a truncated
Fock space (up to two photons per mode); non-number-resolving detectors are projectors onto "no photon
in any internal mode of this slot" and its complement; the ions' state is the partial trace. Photon loss
is a classical mixture (a lost photon leaves its ion dephased), and dark counts are independent classical
clicks OR-ed with the photon clicks. A converter's polarization error is applied to the photon itself, never to the
ion: a depolarizing channel of process fidelity F is the Pauli mixture (1 - 3p/4) I + p/4 (X, Y, Z) with
p = 4(1 - F)/3, each Pauli moving the photon's mode and phase. Converter noise photons and dark counts are separate
Poisson processes at each detector; a slot's window stays silent only if every one of them is.
"""
import itertools
import json
import sys

import numpy as np
import qutip as qt

FOCK = 3  # 0, 1, 2 photons per mode
SLOTS = [(o, m) for o in range(2) for m in range(2)]  # index = 2*o + m
MODES = [(o, m, k) for o in range(2) for m in range(2) for k in range(2)]  # output, qubit mode, internal label
PATTERNS = [((0, 0), (1, 1)), ((1, 0), (0, 1)), ((0, 0), (0, 1)), ((1, 0), (1, 1))]


def mode_index(o, m, k):
    return MODES.index((o, m, k))


def op_on_mode(op, i):
    """op on photon mode i, identity on the ions and the other modes (ions first: 2 x 2)."""
    ops = [qt.qeye(2), qt.qeye(2)] + [qt.qeye(FOCK)] * len(MODES)
    ops[2 + i] = op
    return qt.tensor(ops)


CREATE = [op_on_mode(qt.create(FOCK), i) for i in range(len(MODES))]
NO_PHOTON = [op_on_mode(qt.fock_dm(FOCK, 0), i) for i in range(len(MODES))]
IDENTITY = qt.tensor([qt.qeye(2), qt.qeye(2)] + [qt.qeye(FOCK)] * len(MODES))


def ion_projector(which, j):
    ops = [qt.qeye(2), qt.qeye(2)] + [qt.qeye(FOCK)] * len(MODES)
    ops[which] = qt.fock_dm(2, j)
    return qt.tensor(ops)


def vacuum_with_ions(ja, jb):
    return qt.tensor([qt.basis(2, ja), qt.basis(2, jb)] + [qt.basis(FOCK, 0)] * len(MODES))


def photon_creator(source, m, v):
    """Creation operator of a photon from `source` ('a' or 'b') in qubit mode m after the beam splitter."""
    # Internal label: A is |k=0>, B is sqrt(V)|0> + sqrt(1-V)|1>.
    labels = [(0, 1.0)] if source == "a" else [(0, np.sqrt(v)), (1, np.sqrt(max(0.0, 1 - v)))]
    out = 0
    for k, amp in labels:
        c = CREATE[mode_index(0, m, k)]
        d = CREATE[mode_index(1, m, k)]
        out = out + amp * (c + d if source == "a" else c - d) / np.sqrt(2)
    return out


def slot_click_projectors():
    """For each slot, (no-click projector, click projector)."""
    out = []
    for (o, m) in SLOTS:
        none = NO_PHOTON[mode_index(o, m, 0)] * NO_PHOTON[mode_index(o, m, 1)]
        out.append((none, IDENTITY - none))
    return out


PROJ = slot_click_projectors()


def ions_given_clicks(psi, clicked):
    """Unnormalised ion state given exactly the slots in `clicked` saw photons."""
    P = IDENTITY
    for s in range(4):
        P = P * (PROJ[s][1] if s in clicked else PROJ[s][0])
    phi = P * psi
    if phi.norm() < 1e-15:
        return None
    return phi.ptrace([0, 1]) * 1.0  # ptrace of a ket returns the reduced density matrix times |phi|^2


# Pauli k on a photon of qubit mode m: (new mode, phase). I, X, Z, Y with Y|0> = i|1>, Y|1> = -i|0>.
PAULI = [lambda m: (m, 1), lambda m: (1 - m, 1), lambda m: (m, (-1) ** m), lambda m: (1 - m, 1j * (-1) ** m)]


def pauli_weights(fidelity):
    p = 4 * (1 - fidelity) / 3
    return [1 - 3 * p / 4, p / 4, p / 4, p / 4]


def photon_cases(eta_a, eta_b, v, fid_a=1.0, fid_b=1.0):
    """Classical mixture over which photons reach the detectors and which Pauli hit each: (weight, list of kets)."""
    cases = []
    for (det_a, det_b), (ka, wa), (kb, wb) in itertools.product(itertools.product([True, False], repeat=2),
                                                                 enumerate(pauli_weights(fid_a)), enumerate(pauli_weights(fid_b))):
        w = (eta_a if det_a else 1 - eta_a) * (eta_b if det_b else 1 - eta_b) * wa * wb
        if w == 0:
            continue
        kets = []
        # A lost photon dephases its ion: sum over its ion value incoherently.
        for ja in ([None] if det_a else [0, 1]):
            for jb in ([None] if det_b else [0, 1]):
                psi = 0
                for a in ([0, 1] if ja is None else [ja]):
                    for b in ([0, 1] if jb is None else [jb]):
                        amp = (1 / np.sqrt(2) if ja is None else 1.0) * (1 / np.sqrt(2) if jb is None else 1.0)
                        state = vacuum_with_ions(a, b)
                        if det_b:
                            mode, phase = PAULI[kb](b)
                            state = phase * photon_creator("b", mode, v) * state
                        if det_a:
                            mode, phase = PAULI[ka](a)
                            state = phase * photon_creator("a", mode, v) * state
                        psi = psi + amp * state
                scale = (0.5 if ja is not None else 1.0) * (0.5 if jb is not None else 1.0)
                kets.append((scale, psi))
        cases.append((w, kets))
    return cases


def bell(sign):
    return (qt.tensor(qt.basis(2, 0), qt.basis(2, 1)) + sign * qt.tensor(qt.basis(2, 1), qt.basis(2, 0))).unit()


def slot_click_probability(point):
    """The per-slot probability of a click that is no ion photon's: given, or from the dark and noise rates."""
    if "dark_rate_hz" not in point:
        return point["dark"]
    t = point["window_s"]
    silent = np.exp(-point["dark_rate_hz"] * t)
    for node in "ab":
        # This node's noise reaching one detector: through its fiber, detected, one of the hub's detectors.
        rate = point["noise_%s_hz" % node] * point["fiber_%s" % node] * point["detector_efficiency"] / point["detectors"]
        silent *= np.exp(-rate * t)
    return 1 - silent


def evaluate(point):
    eta_a, eta_b, v = point["eta_a"], point["eta_b"], point["visibility"]
    pd = slot_click_probability(point)
    fid_a, fid_b = point.get("polarization_fidelity_a", 1.0), point.get("polarization_fidelity_b", 1.0)
    rho = [0 * qt.ket2dm(bell(1)) for _ in PATTERNS]
    for w, kets in photon_cases(eta_a, eta_b, v, fid_a, fid_b):
        for scale, psi in kets:
            for subset_bits in range(16):
                clicked = {s for s in range(4) if subset_bits >> s & 1}
                ions = ions_given_clicks(psi, clicked)
                if ions is None:
                    continue
                for i, (s1, s2) in enumerate(PATTERNS):
                    target = {2 * s1[0] + s1[1], 2 * s2[0] + s2[1]}
                    if not clicked <= target:
                        continue
                    factor = pd ** len(target - clicked) * (1 - pd) ** 2
                    rho[i] = rho[i] + (w * scale * factor) * ions
    out = {"probabilities": [], "fidelity_psi_plus": [], "fidelity_psi_minus": []}
    for r in rho:
        p = float(np.real(r.tr()))
        out["probabilities"].append(p)
        n = r / p if p > 0 else r
        out["fidelity_psi_plus"].append(float(np.real(qt.expect(n, bell(1)))) if p > 0 else 0.0)
        out["fidelity_psi_minus"].append(float(np.real(qt.expect(n, bell(-1)))) if p > 0 else 0.0)
    return out


if __name__ == "__main__":
    grid = json.load(sys.stdin)
    json.dump([evaluate(p) for p in grid], sys.stdout)
