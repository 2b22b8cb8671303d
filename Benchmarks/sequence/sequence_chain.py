#!/usr/bin/env python3
"""SeQUeNCe (PyPI `sequence`) on a linear chain of quantum routers: the peer of `ionlink network` in
IonLink's network benchmark. Prints one JSON object: delivered end-to-end pairs, their fidelity, the
simulated time, SeQUeNCe's event count and the wall time of the run.

    sequence_chain.py --routers 3 --seconds 2 --memories 1 --distance-m 20 --efficiency 0.1 --coherence-s 1
"""
import argparse
import json
import os
import tempfile
import time

from sequence.app.request_app import RequestApp
from sequence.topology.router_net_topo import RouterNetTopo

ap = argparse.ArgumentParser()
ap.add_argument("--routers", type=int, default=3)
ap.add_argument("--seconds", type=float, default=2.0, help="simulated time")
ap.add_argument("--memories", type=int, default=1, help="memories per router for the request")
ap.add_argument("--distance-m", type=float, default=20.0, help="fiber between neighbouring routers")
ap.add_argument("--attenuation-db-per-m", type=float, default=0.0002)
ap.add_argument("--efficiency", type=float, default=0.1, help="memory (photon emission and collection) efficiency")
ap.add_argument("--fidelity", type=float, default=0.985, help="raw fidelity of a memory's state")
ap.add_argument("--coherence-s", type=float, default=1.0)
ap.add_argument("--frequency-hz", type=float, default=1e6, help="memories' maximum excitation rate")
ap.add_argument("--seed", type=int, default=1)
args = ap.parse_args()

names = [f"r{i}" for i in range(args.routers)]
config = {
    "is_parallel": False,
    "stop_time": int(args.seconds * 1e12) + 1,
    "templates": {"ion": {"MemoryArray": {"fidelity": args.fidelity, "efficiency": args.efficiency,
                                           "coherence_time": args.coherence_s, "frequency": args.frequency_hz}}},
    "nodes": [{"name": n, "type": "QuantumRouter", "seed": args.seed + i, "memo_size": 2 * args.memories, "template": "ion"}
              for i, n in enumerate(names)],
    "qconnections": [{"node1": a, "node2": b, "attenuation": args.attenuation_db_per_m, "distance": args.distance_m,
                      "type": "meet_in_the_middle"} for a, b in zip(names, names[1:])],
    "cconnections": [{"node1": a, "node2": b, "delay": int(args.distance_m / 2e8 * 1e12)}
                     for a in names for b in names if a < b],
}
path = os.path.join(tempfile.mkdtemp(prefix="ionlink-sequence-"), "chain.json")
with open(path, "w") as f:
    json.dump(config, f)

topo = RouterNetTopo(path)
tl = topo.get_timeline()
routers = {r.name: r for r in topo.get_nodes_by_type(RouterNetTopo.QUANTUM_ROUTER)}
apps = {n: RequestApp(routers[n]) for n in (names[0], names[-1])}

# Record every delivered pair's fidelity at the initiator as it arrives.
fidelities = []
initiator = apps[names[0]]
original = initiator.get_memory


def record(info):
    if info.state == "ENTANGLED" and info.index in initiator.memo_to_reservation:
        res = initiator.memo_to_reservation[info.index]
        if info.remote_node == res.responder and info.fidelity >= res.fidelity:
            fidelities.append(info.fidelity)
    original(info)


initiator.get_memory = record
tl.init()
initiator.start(names[-1], 1_000_000, int(args.seconds * 1e12), args.memories, 0.5)
start = time.perf_counter()
tl.run()
wall = time.perf_counter() - start
delivered = initiator.memory_counter
print(json.dumps({
    "simulator": "SeQUeNCe", "routers": args.routers, "simulated_s": args.seconds, "delivered": delivered,
    "rate_hz": delivered / args.seconds, "mean_fidelity": sum(fidelities) / len(fidelities) if fidelities else None,
    "events": tl.run_counter, "wall_s": wall,
}))
