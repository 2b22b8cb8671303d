# %% [markdown]
# # A heralding run from a lab notebook
#
# Run cell by cell in Jupyter or VS Code (the `# %%` markers), or as a script:
#
#     pip install ./Clients/python
#     python docs/examples/lab_notebook.py 127.0.0.1:7400 alice.token
#
# against a node served with `ionlink serve --tokens tokens.yaml --port 7400` (docs/serve.md).

# %%
import sys

import numpy as np

import ionlink

address = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:7400"
token_file = sys.argv[2] if len(sys.argv) > 2 else "alice.token"
node = ionlink.Node(address, token_file=token_file)
description = node.describe()
print(f"node {description.node}: {len(description.devices)} devices; we are {description.principal}")

# %% Start a run and follow its heralds as they come.
run = node.run(heralds=200, each_herald=True)
bases = {"X": 0, "Y": 0, "Z": 0}
for herald in run.heralds():
    bases[herald.basis] += 1
summary = run.summary
print(f"run {run.number}: {summary['heralds']} heralds in {summary['attempts']} attempts; verified in {bases}")

# %% Open the run's record and compute from it what the node reported.
record = ionlink.records.open(run.record)
attempts = int(record.blocks["attempts"][-1])
p = len(record.heralds) / attempts
p_err = np.sqrt(p * (1 - p) / attempts)
print(f"P(success) {p:.3e} ± {p_err:.1e} from the record; the node's summary says {summary['success_probability']:.3e}")
print(f"the lab's model predicts {record.model['success_probability_model']:.3e}")

# %% Fidelity from the verification correlators: F = (1 + C_X + C_Y + C_Z) / 4, C_b the mean of the aligned parity.
last = record.blocks[-1]
correlators = {b: last[f"aligned_sum_{b}"] / last[f"shots_{b}"] for b in "xyz" if last[f"shots_{b}"] > 0}
fidelity = (1 + sum(correlators.values())) / 4 if len(correlators) == 3 else float("nan")
print(f"fidelity {fidelity:.4f} from the record ({', '.join(f'C_{b.upper()} {c:+.3f}' for b, c in correlators.items())})")

# %% A setpoint past the lab's limit is refused by the node, as a typed exception.
limit = next(d for d in description.devices if d.role == "nodeA.excitation").power_limit_w.upper
try:
    node.set_laser_power("nodeA.excitation", 2 * limit)
except ionlink.SetpointOutOfRange as e:
    print(f"refused: {e.fault.device} {e.fault.kind}, {e.fault.requested} W outside {e.fault.allowed}")
node.close()
