#!/usr/bin/env python3
"""IonLink's network simulation beside SeQUeNCe on a matched topology: a chain of three nodes (two
elementary links, one entanglement swap in the middle), each link with its own Bell-state measurement.

Both simulators get the same link: SeQUeNCe's Barrett-Kok link between two routers is simulated first;
its success probability per attempt, p = ½(η_mem·η_fiber·η_det)², and its measured rate r₁ give IonLink's
link (attempt period p/r₁, the same p, SeQUeNCe's heralded fidelity); the swap keeps SeQUeNCe's default
(F = F₁·F₂·0.95: IonLink's Werner swap with w_swap for F = 0.95 on perfect pairs). Then both simulate the
chain; the script prints both results and both speeds (simulated seconds per wall second, same machine,
same run).

    python3 Benchmarks/sequence/compare.py --ionlink .build/release/ionlink
"""
import argparse
import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--ionlink", default=os.path.join(here, "..", "..", ".build", "release", "ionlink"))
ap.add_argument("--sequence-seconds", type=float, default=0.1, help="simulated time of each SeQUeNCe run")
ap.add_argument("--ionlink-seconds", type=float, default=100.0, help="simulated time of the IonLink run")
ap.add_argument("--efficiency", type=float, default=0.1)
ap.add_argument("--distance-m", type=float, default=20.0)
ap.add_argument("--attenuation-db-per-m", type=float, default=0.0002)
args = ap.parse_args()


def sequence(routers):
    r = subprocess.run([sys.executable, os.path.join(here, "sequence_chain.py"), "--routers", str(routers), "--seconds",
                        str(args.sequence_seconds), "--efficiency", str(args.efficiency), "--distance-m", str(args.distance_m),
                        "--attenuation-db-per-m", str(args.attenuation_db_per_m)], capture_output=True, text=True, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


link = sequence(2)
chain = sequence(3)
# Barrett-Kok: two rounds, each heralded by one click of one photon from either memory (½ η² each, of which
# the photon survives with η = memory efficiency × half the fiber × detector efficiency 0.9, SeQUeNCe's default).
eta = args.efficiency * 10 ** (-args.attenuation_db_per_m * args.distance_m / 2 / 10) * 0.9
p = 0.5 * eta * eta
period_s = p / link["rate_hz"]
cmd = [args.ionlink, "network", "--nodes", "3", "--hubs", "2", "--hops", "2", "--switch-time", "1ns",
       "--attempt-period", f"{period_s * 1e9:.3f}ns", "--success-probability", f"{p:.6g}",
       "--heralded-fidelity", f"{link['mean_fidelity']:.6f}", "--swap-fidelity", "0.95", "--swap-duration", "1ns",
       "--memory-coherence", "1s", "--duration", f"{args.ionlink_seconds}s", "--json"]
ion = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
pair = ion["pairs"][0]
rows = [
    ("elementary link (SeQUeNCe)", link["rate_hz"], link["mean_fidelity"], link["simulated_s"], link["wall_s"], link["events"]),
    ("chain of 3, SeQUeNCe", chain["rate_hz"], chain["mean_fidelity"], chain["simulated_s"], chain["wall_s"], chain["events"]),
    ("chain of 3, IonLink", pair["rate_per_s"], pair["mean_fidelity"], args.ionlink_seconds, ion["wall_time_s"], ion["events"]),
]
print(f"matched link: p = {p:.4g} per attempt, attempt period {period_s * 1e6:.3f} µs, heralded F = {link['mean_fidelity']:.4f}")
print(f"{'':28} {'pairs/s':>10} {'fidelity':>9} {'sim s':>7} {'wall s':>8} {'events':>9} {'sim s per wall s':>17}")
for name, rate, f, sim, wall, events in rows:
    print(f"{name:28} {rate:10.1f} {f:9.4f} {sim:7.3g} {wall:8.3f} {events:9d} {sim / wall:17.4g}")
speed = (args.ionlink_seconds / ion["wall_time_s"]) / (chain["simulated_s"] / chain["wall_s"])
print(f"IonLink/SeQUeNCe: rate {pair['rate_per_s'] / chain['rate_hz']:.3f}, fidelity {pair['mean_fidelity'] / chain['mean_fidelity']:.4f}, "
      f"speed {speed:.3g}× (simulated time per wall second)")
