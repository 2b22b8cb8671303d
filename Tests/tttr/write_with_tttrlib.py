#!/usr/bin/env python3
"""Writes a HydraHarp v2 T3 PTU file with tttrlib (a third-party writer, from PyPI) and prints the
events it wrote as JSON: sync numbers, dtime bins and routing channels, with the sync period and
dtime bin in picoseconds.

usage: write_with_tttrlib.py OUT.ptu SEED COUNT
"""
import json
import sys

import numpy as np
import tttrlib

out, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(seed)
# Sync numbers with gaps from 0 to several T3 wraps (1024 syncs), several photons per sync at times.
gaps = rng.choice([0, 1, 7, 1023, 1024, 1025, 3000, 70000], size=count, p=[.3, .3, .1, .05, .05, .05, .1, .05])
macro = np.cumsum(gaps).astype(np.uint64) + 3
micro = rng.integers(0, 32768, size=count).astype(np.uint16)
routing = rng.integers(0, 4, size=count).astype(np.int8)
# Within one sync, photons in dtime order (as the hardware records them).
order = np.lexsort((micro, macro))
macro, micro, routing = macro[order], micro[order], routing[order]

sync_period_s, bin_s = 12.5e-9, 4e-12
I8, F8, S = 0x10000008, 0x20000008, 0x4001FFFF


def tag(name, typ, value):
    return {"idx": -1, "name": name, "type": typ, "value": value}


t = tttrlib.TTTR()
t.append_events(macro, micro, routing, np.zeros(count, dtype=np.int8), False, 0)
header = tttrlib.TTTRHeader()
header.set_json(json.dumps({"MeasDesc_ContainerType": 0, "MeasDesc_RecordType": 4, "Tag Version": "1.0.00", "tags": [
    tag("File_Comment", S, "written by tttrlib"), tag("Measurement_Mode", I8, 3), tag("Measurement_SubMode", I8, 0),
    tag("TTResultFormat_TTTRRecType", I8, 0x01010304), tag("TTResultFormat_BitsPerRecord", I8, 32),
    tag("MeasDesc_GlobalResolution", F8, sync_period_s), tag("MeasDesc_Resolution", F8, bin_s),
    tag("HW_InpChannels", I8, 4), tag("TTResult_SyncRate", I8, int(round(1 / sync_period_s))),
]}))
if not t.write(out, header):
    sys.exit("tttrlib could not write " + out)
json.dump({"sync_ps": sync_period_s * 1e12, "bin_ps": bin_s * 1e12, "nsync": [int(m) for m in macro],
           "dtime": [int(m) for m in micro], "routing": [int(r) for r in routing]}, sys.stdout)
