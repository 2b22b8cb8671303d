#!/usr/bin/env python3
"""Connects to a node served by `ionlink serve`, runs heralding and reads the results.

    python3 Clients/python/example_run.py --node 127.0.0.1:7400 --token-file alice.token --heralds 200
"""
import argparse
import json
import math
import sys

import os

try:
    from ionlink import PS_PER_S, Node
except ImportError:  # run from the repository without `pip install ./Clients/python`
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "src"))
    from ionlink import PS_PER_S, Node


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--node", default="127.0.0.1:7400", help="host:port of the node")
    ap.add_argument("--token-file", required=True, help="file holding the bearer token (control role)")
    ap.add_argument("--heralds", type=int, default=200, help="stop after this many heralds")
    ap.add_argument("--pace", type=float, default=0.0, help="lab seconds per wall second (0: as fast as it goes)")
    ap.add_argument("--ca", help="TLS: the lab's certificate authority (PEM)")
    ap.add_argument("--certificate", help="mutual TLS: this client's certificate (PEM)")
    ap.add_argument("--key", help="mutual TLS: this client's key (PEM)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    token = open(args.token_file).read().strip()

    with Node(args.node, token, ca=args.ca, certificate=args.certificate, key=args.key) as node:
        me = node.describe()
        if not args.json:
            print(f"node {me.node} (IonLink {me.version}) serves {len(me.devices)} devices; we are {me.principal}")
        last = None
        for update in node.run(heralds=args.heralds, pace=args.pace):
            last = update
            if not args.json:
                t = update.totals
                print(f"\r{t.heralds} heralds in {t.attempts} attempts, {t.lab_time_ps / PS_PER_S:.2f} s lab time",
                      end="", file=sys.stderr)
        t = last.totals
        p = t.success_probability
        p_err = math.sqrt(p * (1 - p) / t.attempts) if t.attempts else 0.0
        result = {
            "run": last.run, "phase": last.phase, "heralds": t.heralds, "attempts": t.attempts,
            "lab_time_s": t.lab_time_ps / PS_PER_S, "success_probability": p, "success_probability_stderr": p_err,
            "model_success_probability": last.model_success_probability, "fidelity": t.fidelity,
            "fidelity_ci95": t.fidelity_ci95, "model_fidelity": last.model_fidelity, "faults": t.faults,
        }
        if args.json:
            print(json.dumps(result))
        else:
            print(f"\nP(success) {p:.3e} ± {p_err:.1e} (model {last.model_success_probability:.3e}); "
                  f"F {t.fidelity:.4f} ± {t.fidelity_ci95:.4f} (model through readout {last.model_fidelity:.4f})")


if __name__ == "__main__":
    main()
