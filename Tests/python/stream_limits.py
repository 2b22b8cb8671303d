#!/usr/bin/env python3
"""A served node's connection limits, seen from the wire (issue 16, item 3). Against a live `ionlink serve`:
the stream limit in the server's first SETTINGS frame (RFC 9113 §6.5.2), 300 concurrent calls on one
connection while a run streams on it (a client that honours the limit queues past it, so nothing may fail),
and how long an idle connection is kept. Prints one JSON object for ServeLimitsTests."""
import json
import os
import socket
import struct
import sys
import threading
import time

import grpc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Clients", "python", "src"))
from ionlink import IonLinkError, Node  # noqa: E402
from ionlink._proto import ionlink_pb2 as pb  # noqa: E402

host, port, control_token = sys.argv[1], int(sys.argv[2]), sys.argv[3]
RUN_WALL_S = float(sys.argv[4]) if len(sys.argv) > 4 else 8.0  # the run alongside lasts this long (2 s of lab time)
out = {}

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
SETTINGS, PING, GOAWAY = 0x4, 0x6, 0x7


def frame(kind, flags=0, stream=0, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def read_frame(sock):
    """One HTTP/2 frame (length, type, flags, stream, payload), or None when the server closed."""
    head = b""
    while len(head) < 9:
        chunk = sock.recv(9 - len(head))
        if not chunk:
            return None
        head += chunk
    length = int.from_bytes(head[:3], "big")
    payload = b""
    while len(payload) < length:
        chunk = sock.recv(length - len(payload))
        if not chunk:
            return None
        payload += chunk
    return head[3], head[4], int.from_bytes(head[5:9], "big") & 0x7FFFFFFF, payload


# 1. The server's SETTINGS, as a raw HTTP/2 client sees them; then an idle connection's lifetime.
sock = socket.create_connection((host, port), timeout=30)
sock.sendall(PREFACE + frame(SETTINGS))
settings = {}
opened = time.monotonic()
while True:
    f = read_frame(sock)
    if f is None:
        break
    kind, flags, _, payload = f
    if kind == SETTINGS and not flags & 0x1:
        settings = {int.from_bytes(payload[i:i + 2], "big"): int.from_bytes(payload[i + 2:i + 6], "big")
                    for i in range(0, len(payload), 6)}
        sock.sendall(frame(SETTINGS, flags=0x1))
        break
out["max_concurrent_streams"] = settings.get(0x3)
# Idle from here on: a well-behaved client answers the server's pings (a graceful close is GOAWAY, PING, then
# the final GOAWAY and close: gRFC A9) and otherwise says nothing.
try:
    while True:
        f = read_frame(sock)
        if f is None:
            out["idle_closed_after_s"] = round(time.monotonic() - opened, 2)
            break
        kind, flags, _, payload = f
        if kind == PING and not flags & 0x1:
            sock.sendall(frame(PING, flags=0x1, payload=payload))
        if kind == GOAWAY and "idle_goaway_after_s" not in out:
            out["idle_goaway_after_s"] = round(time.monotonic() - opened, 2)
            out["idle_goaway_error_code"] = int.from_bytes(payload[4:8], "big")
except socket.timeout:
    out["idle_kept_open_past_s"] = 30
sock.close()

# 2. Clients that go silent: one that sent its preface but answers nothing, one that never spoke HTTP/2.
def closed_after(send):
    s = socket.create_connection((host, port), timeout=60)
    start = time.monotonic()
    s.sendall(send)
    try:
        while s.recv(4096):
            pass
        return round(time.monotonic() - start, 2)
    except socket.timeout:
        return None
    finally:
        s.close()


out["silent_h2_closed_after_s"] = closed_after(PREFACE + frame(SETTINGS))
out["silent_tcp_closed_after_s"] = closed_after(b"")

# 3. 300 concurrent calls on one channel while a run streams on the same channel; the run lasts longer
# than the silent-connection timeout, and the client says nothing on its stream but its pings' acks.
with Node(f"{host}:{port}", control_token, timeout=60) as n:
    n.describe()  # the connection is up and its SETTINGS are known
    run_result = {}

    def follow():
        started = time.monotonic()
        try:
            last = None
            for u in n.run(lab_time_s=2.0, pace=2.0 / RUN_WALL_S):
                last = u
            run_result["heralds"] = last.totals.heralds
            run_result["wall_s"] = round(time.monotonic() - started, 2)
        except IonLinkError as e:
            run_result["error"] = e.code
    runner = threading.Thread(target=follow)
    runner.start()
    time.sleep(0.5)
    calls = [n.devices.Describe.future(pb.DescribeRequest(), metadata=n._metadata, timeout=60)
             for _ in range(300)]
    codes = {}
    for c in calls:
        try:
            c.result()
            codes["OK"] = codes.get("OK", 0) + 1
        except grpc.RpcError as e:
            codes[e.code().name] = codes.get(e.code().name, 0) + 1
    runner.join(timeout=120)
    out["concurrent_calls"] = codes
    out["run_alongside"] = run_result
print(json.dumps(out))
