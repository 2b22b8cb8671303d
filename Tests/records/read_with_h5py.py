#!/usr/bin/env python3
"""Reads an IonLink run record with h5py (an independent reader) and prints what it holds as JSON.

usage: read_with_h5py.py RUN.h5
A killed run's file is opened in SWMR read mode, as HDF5 requires for a file whose writer died.
"""
import json
import sys

import h5py
import numpy as np

path = sys.argv[1]
try:
    f = h5py.File(path, "r")
    swmr = False
except OSError:
    f = h5py.File(path, "r", swmr=True)
    swmr = True


def col(name):
    return np.asarray(f[name][:])


blocks = {k: col("blocks/" + k).tolist() for k in f["blocks"].keys()}
last = {k: v[-1] for k, v in blocks.items() if v}
heralds = {k: col("heralds/" + k) for k in f["heralds"].keys()}
n_block = int(sum(last.get("pattern_%d" % i, 0) for i in range(4)))
t = heralds["lab_time_ps"][:n_block]
a = heralds["attempt"][:n_block]
out = {
    "swmr": swmr,
    "format": f.attrs["format"].decode(),
    "seed": int(f.attrs["seed"]),
    "resumes": int(f.attrs["resumes"]),
    "git_revision": f.attrs["git_revision"].decode(),
    "config_yaml": f["config/yaml"][()].decode(),
    "devices": sorted(f["devices"].attrs.keys()),
    "model": {k: float(v) for k, v in f["model"].attrs.items()},
    "blocks": len(blocks.get("wall_time_s", [])),
    "last_block": last,
    "wall_times": blocks.get("wall_time_s", []),
    "herald_rows": int(len(heralds["pattern"])),
    "heralds_in_blocks": n_block,
    "pattern_counts": [int(np.count_nonzero(heralds["pattern"][:n_block] == i)) for i in range(4)],
    "lab_time_strictly_increasing": bool(np.all(np.diff(t) > 0)),
    "attempts_strictly_increasing": bool(np.all(np.diff(a) > 0)),
    "last_herald_lab_time_s": float(t[-1]) * 1e-12 if len(t) else 0.0,
    "click_rows": int(len(f["clicks/channel"])),
    "clicks_per_herald_sum": int(heralds["clicks"].sum()),
    "summary": json.loads(f.attrs["summary_json"]) if "summary_json" in f.attrs else None,
}
# Fidelity from the block's verification totals, as IonLink defines it: F = (1 + C_X + C_Y + C_Z)/4.
if all(last.get("shots_" + b, 0) > 0 for b in "xyz"):
    out["fidelity_from_blocks"] = (1 + sum(last["aligned_sum_" + b] / last["shots_" + b] for b in "xyz")) / 4
json.dump(out, sys.stdout)
