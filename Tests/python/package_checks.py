"""The installed `ionlink` package (pip install ./Clients/python, in a fresh venv) against a live
`ionlink serve --part lab`: a run started and its heralds streamed, its record opened, a refused setpoint
as a typed exception. Prints one JSON object for PythonPackageTests.

Usage: package_checks.py HOST:PORT CONTROL_TOKEN_FILE
"""
import json
import sys

import numpy as np

import ionlink

address, token_file = sys.argv[1], sys.argv[2]
out = {"module": ionlink.__file__, "version": ionlink.__version__}

with ionlink.Node(address, token_file=token_file) as node:
    out["principal"] = node.describe().principal
    run = node.run(heralds=150, each_herald=True)
    heralds = list(run.heralds())
    out["streamed_heralds"] = len(heralds)
    out["herald_times_increase"] = all(b.lab_time_s > a.lab_time_s for a, b in zip(heralds, heralds[1:]))
    out["bases"] = sorted({h.basis for h in heralds})
    out["finished"] = run.finished
    out["summary_heralds"] = run.summary["heralds"]
    out["record"] = run.record

    record = run.open_record()
    out["record_format"] = record.attrs["format"]
    out["record_finished"] = record.finished
    out["record_heralds"] = int(len(record.heralds))
    out["record_herald_fields"] = list(record.heralds.dtype.names)
    out["record_attempts_match"] = bool(np.array_equal(record.heralds["attempt"], np.array([h.attempt for h in heralds])))
    out["record_lab_times_match"] = bool(np.allclose(record.heralds["lab_time_ps"] * 1e-12, [h.lab_time_s for h in heralds], rtol=0, atol=1e-12))
    out["record_last_block_attempts"] = int(record.blocks["attempts"][-1])
    out["summary_attempts"] = run.summary["attempts"]
    out["record_config_has_nodes"] = "nodes:" in record.config_yaml
    out["record_seed"] = record.seed

    limit = next(d for d in node.describe().devices if d.role == "nodeA.excitation").power_limit_w.upper
    try:
        node.set_laser_power("nodeA.excitation", 2 * limit)
        out["past_limit"] = "accepted"
    except ionlink.SetpointOutOfRange as e:
        out["past_limit"] = type(e).__name__
        out["past_limit_is_value_error"] = isinstance(e, ValueError)
        out["past_limit_fault"] = {"domain": e.fault.domain, "kind": e.fault.kind, "device": e.fault.device,
                                   "requested": e.fault.requested, "allowed": list(e.fault.allowed or ())}

with ionlink.Node(address, token="not-a-token-this-node-knows") as stranger:
    try:
        stranger.describe()
    except ionlink.Unauthenticated as e:
        out["wrong_token"] = e.code

try:
    ionlink.records.open(token_file)
except ionlink.records.RecordError as e:
    out["not_a_record"] = str(e)[:60]
print(json.dumps(out))
