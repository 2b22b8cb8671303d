"""A pc_rpc client written from the protocol's description (sockets and json only, no sipyco), run against
`ionlink controller` serving a lab of emulated instruments. Prints one JSON object of what it saw.

Usage: pc_rpc_checks.py HOST PORT
"""
import json
import socket
import sys
import time


def pyon_hook(obj):
    """sipyco's PYON v2: {"__jsonclass__": [name, args]} stands for a Python type JSON lacks."""
    if "__jsonclass__" not in obj:
        return obj
    name, args = obj["__jsonclass__"]
    if name == "tuple":
        return tuple(args[0])
    if name == "set":
        return set(args[0])
    if name == "dict":
        return {k: v for k, v in args[0]}
    raise TypeError("unexpected __jsonclass__ " + name)


class Connection:
    def __init__(self, host, port, target=None):
        self.sock = socket.create_connection((host, port), timeout=60)
        self.reader = self.sock.makefile("rb")
        self.sock.sendall(b"ARTIQ pc_rpc\n")
        self.ident = self.receive()
        self.methods = None
        if target is not None:
            self.select(target)

    def receive(self):
        line = self.reader.readline()
        if not line.endswith(b"\n"):
            raise EOFError("connection closed")
        return json.loads(line, object_hook=pyon_hook)

    def send(self, obj):
        self.sock.sendall((json.dumps(obj, separators=(",", ":")) + "\n").encode())

    def select(self, target):
        self.sock.sendall((target + " pyon_v2\n").encode())
        self.methods = self.receive()

    def request(self, name, *args, **kwargs):
        self.send({"action": "call", "name": name, "args": {"__jsonclass__": ["tuple", [list(args)]]}, "kwargs": kwargs})
        return self.receive()

    def call(self, name, *args, **kwargs):
        reply = self.request(name, *args, **kwargs)
        if reply["status"] != "ok":
            raise RuntimeError("%s: %s" % (name, reply["exception"]))
        return reply["ret"]

    def close(self):
        self.reader.close()
        self.sock.close()


RETRIES = [0]


def transient(exception):
    """A device failure a retry may cure: no reply in time, or a reply that was another query's."""
    return exception["class"] == "TimeoutError" or " malformedReply: " in exception["message"]


def exercise(c, role):
    """Calls every method the target lists, with arguments that keep the lab as it is; returns each reply's status
    (or exception class), and the sample of what the calls returned."""
    seen, sample = {}, {}

    def do(name, *args, **kwargs):
        reply = c.request(name, *args, **kwargs)
        # A reply lost to a starved emulator (the suite's other tests load both cores) comes back as a timeout,
        # and a late one as the next query's malformed reply: retried twice, as a lab script would, and counted.
        for _ in range(2):
            if reply["status"] == "ok" or not transient(reply["exception"]):
                break
            RETRIES[0] += 1
            time.sleep(0.2)
            reply = c.request(name, *args, **kwargs)
        seen[name] = "ok" if reply["status"] == "ok" else reply["exception"]["class"]
        if reply["status"] == "ok":
            sample[name] = reply["ret"]
            return reply["ret"]
        sample[name] = reply["exception"]["message"]
        return None

    do("ping")
    do("identify")
    if "set_power_w" in c.methods:
        lower, upper = do("power_limit_w")
        do("wavelength_m")
        setpoint = do("power_setpoint_w")
        do("set_power_w", setpoint if setpoint is not None else (lower + upper) / 2)
        do("measured_power_w")
        do("set_emission", True)
        do("status")
        sample["past_limit"] = c.request("set_power_w", upper * 2)
    elif "set_bias_a" in c.methods:
        do("spec")
        do("bias_limit_a")
        bias = do("bias_a")
        do("set_bias_a", amperes=bias)
        do("set_enabled", True)
        do("latch_state")
        do("recover_from_latch")
    elif "set_electrode_v" in c.methods:
        do("electrode_count")
        lower, upper = do("electrode_limit_v")
        volts = do("electrode_v", 0)
        do("set_electrode_v", 0, volts)
        do("rf_amplitude_limit_v")
        rf = do("rf")
        do("set_rf", rf["frequency_hz"], rf["amplitude_v"])
        do("fluorescence_counts", 0.001)
        do("measure_qubit", "Z")
        do("load", 0.001)
        sample["past_limit"] = c.request("set_electrode_v", 0, upper + 1.0)
    elif "program" in c.methods:
        do("minimum_step_s")
        steps = do("programmed")
        do("program", [list(s) for s in steps] if steps else [["excite", 1e-6], ["wait", 1e-6]])
        do("stop")
        sample["past_limit"] = c.request("program", [["excite", 1e-15]])
    elif "set_setpoint_c" in c.methods:
        lower, upper = do("setpoint_limit_c")
        setpoint = do("setpoint_c")
        do("set_setpoint_c", setpoint)
        do("measured_c")
        do("set_output", True)
        do("output_on")
        sample["past_limit"] = c.request("set_setpoint_c", upper + 1.0)
    elif "count" in c.methods:
        do("channels")
        do("sync_channel")
        do("resolution_s")
        do("count", 0.05)
    unexercised = sorted(set(c.methods) - set(seen) - {"terminate"})
    return seen, sample, unexercised


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    out = {}
    first = Connection(host, port)
    out["targets"] = first.ident["targets"]
    out["features"] = first.ident["features"]
    first.close()

    out["calls"], out["samples"], out["unexercised"] = {}, {}, {}
    for role in out["targets"]:
        c = Connection(host, port, role)
        out["calls"][role], out["samples"][role], out["unexercised"][role] = exercise(c, role)
        c.close()

    listing = Connection(host, port, out["targets"][0])
    listing.send({"action": "get_rpc_method_list"})
    methods = listing.receive()
    out["method_list_status"] = methods["status"]
    out["method_list_has_terminate"] = "terminate" in methods["ret"]["methods"]
    listing.close()

    # Clients that die: one mid-line, one after sending a call without reading its reply.
    half = Connection(host, port, out["targets"][0])
    half.sock.sendall(b'{"action":"call","name":"pi')
    half.sock.close()
    unread = Connection(host, port, out["targets"][0])
    unread.send({"action": "call", "name": "identify", "args": [], "kwargs": {}})
    unread.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    unread.sock.close()

    # What ARTIQ's controller manager does: no target named, the first listed selected, ping(), then terminate().
    manager = Connection(host, port)
    manager.select(manager.ident["targets"][0])
    out["ping_after_killed_clients"] = manager.call("ping")
    out["terminate"] = manager.request("terminate")
    out["retried_transient_failures"] = RETRIES[0]
    manager.close()
    print(json.dumps(out, default=repr))


if __name__ == "__main__":
    main()
