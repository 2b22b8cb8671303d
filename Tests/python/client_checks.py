#!/usr/bin/env python3
"""The Python client against a live `ionlink serve --part lab`: the example's run, refusals, and a client
killed mid-stream. Prints one JSON object for IonLink's tests (ServeCommandTests)."""
import json
import os
import signal
import subprocess
import sys
import time


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Clients", "python", "src"))
from ionlink import IonLinkError, Node, SetpointOutOfRange  # noqa: E402

node_address, control_token, observe_token = sys.argv[1], sys.argv[2], sys.argv[3]
out = {}


def code_of(call):
    try:
        call()
        return "OK"
    except IonLinkError as e:
        return e.code


# The example in docs/serve.md, as a lab script runs it.
example = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Clients", "python", "example_run.py")
token_file = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"ionlink-token-{os.getpid()}")
with open(token_file, "w") as f:
    f.write(control_token)
os.chmod(token_file, 0o600)
r = subprocess.run([sys.executable, example, "--node", node_address, "--token-file", token_file, "--heralds", "300", "--json"],
                   capture_output=True, text=True, timeout=120)
out["example_status"] = r.returncode
out["example"] = json.loads(r.stdout) if r.returncode == 0 else r.stderr

# Refusals: no such token, an observer commanding, a setpoint past the node's limit.
with Node(node_address, "not-a-token-this-node-knows") as n:
    out["wrong_token"] = code_of(n.describe)
with Node(node_address, observe_token) as n:
    out["observer_role"] = n.describe().role
    out["observer_status"] = code_of(lambda: n.laser_status("nodeA.cooling"))
    out["observer_set_power"] = code_of(lambda: n.set_laser_power("nodeA.cooling", 1e-3))
    out["observer_run"] = code_of(lambda: next(n.run(heralds=1)))
with Node(node_address, control_token) as n:
    limit = next(d for d in n.describe().devices if d.role == "nodeA.excitation").power_limit_w.upper
    out["power_limit_w"] = limit
    out["past_limit"] = code_of(lambda: n.set_laser_power("nodeA.excitation", limit * 1.5))
    try:
        n.set_laser_power("nodeA.excitation", limit * 1.5)
    except SetpointOutOfRange as e:
        # The typed error is built from the node's DeviceFault trailer.
        out["past_limit_fault_trailer"] = e.fault.kind == "setpointOutOfRange" and e.fault.device == "nodeA.excitation"

# A client killed (SIGKILL) mid-stream: the run goes on; another client follows it to its end.
starter = subprocess.Popen([sys.executable, "-c", f"""
import sys; sys.path.insert(0, {os.path.join(os.path.dirname(example), "src")!r})
from ionlink import Node
n = Node({node_address!r}, {control_token!r})
for u in n.run(heralds=400, pace=2.0, each_herald=True):
    print(u.run, flush=True)
    break
import time; time.sleep(60)
"""], stdout=subprocess.PIPE, text=True)
run_number = int(starter.stdout.readline())
starter.send_signal(signal.SIGKILL)
starter.wait()
time.sleep(0.2)
with Node(node_address, observe_token) as n:
    last = None
    for u in n.watch():
        last = u
    out["killed_client_run"] = run_number
    out["watched_run"] = last.run
    out["watched_phase"] = last.phase
    out["watched_heralds"] = last.totals.heralds
os.remove(token_file)
print(json.dumps(out))
