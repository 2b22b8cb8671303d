#!/usr/bin/env python3
"""Reads a PTU file with tttrlib (a third-party reader, from PyPI) and prints its events as JSON:
macro times in picoseconds, routing channels and event types (0 photon, 1 special/marker/sync)."""
import json
import sys

import tttrlib

t = tttrlib.TTTR(sys.argv[1], "PTU")
resolution_ps = t.header.macro_time_resolution * 1e12
json.dump({
    "macro_ps": [int(round(m * resolution_ps)) for m in t.macro_times],
    "routing": [int(c) for c in t.routing_channels],
    "types": [int(e) for e in t.event_types],
}, sys.stdout)
