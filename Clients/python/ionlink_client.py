"""IonLink's Python client: a node served by `ionlink serve`, from a lab script.

The messages and stubs (ionlink_pb2, ionlink_pb2_grpc) are generated from Protos/ionlink.proto,
the same file the Swift node is built from (`Clients/python/generate.sh`). Needs grpcio and protobuf
(Tests/requirements.txt pins the versions CI uses).

    from ionlink_client import Node
    with Node("127.0.0.1:7400", token=open("alice.token").read().strip()) as node:
        for update in node.run(heralds=200):
            print(update.totals.heralds, update.totals.fidelity)
"""
import os
import sys

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ionlink_pb2 as pb  # noqa: E402
import ionlink_pb2_grpc as rpc  # noqa: E402

PS_PER_S = 1_000_000_000_000


class Node:
    """One node. Every call presents the bearer token; failures raise grpc.RpcError with the node's status
    (UNAUTHENTICATED, PERMISSION_DENIED, OUT_OF_RANGE for a refused setpoint, UNAVAILABLE, ...)."""

    def __init__(self, address, token, ca=None, certificate=None, key=None, timeout=10.0):
        if ca is not None:
            def read(p):
                return open(p, "rb").read() if p else None
            credentials = grpc.ssl_channel_credentials(root_certificates=read(ca), private_key=read(key),
                                                       certificate_chain=read(certificate))
            self._channel = grpc.secure_channel(address, credentials)
        else:
            self._channel = grpc.insecure_channel(address)
        self._metadata = (("authorization", f"Bearer {token}"),)
        self._timeout = timeout
        self.devices = rpc.DevicesStub(self._channel)
        self.runs = rpc.RunsStub(self._channel)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._channel.close()

    def describe(self):
        """The node, its devices with their limits, and who we are to it."""
        return self.devices.Describe(pb.DescribeRequest(), metadata=self._metadata, timeout=self._timeout)

    def status(self):
        """Each device's state and the current run's totals."""
        return self.runs.Status(pb.StatusRequest(), metadata=self._metadata, timeout=self._timeout)

    def laser_status(self, role):
        return self.devices.Laser(pb.LaserCall(role=role, status=pb.Empty()), metadata=self._metadata, timeout=self._timeout)

    def set_laser_power(self, role, watts):
        """Sets a laser's power (control role); the node refuses one outside its limit with OUT_OF_RANGE."""
        return self.devices.Laser(pb.LaserCall(role=role, set_power_w=watts), metadata=self._metadata, timeout=self._timeout)

    def run(self, heralds=0, attempts=0, lab_time_s=0.0, pace=0.0, each_herald=False):
        """Starts a heralding run (control role) and yields its updates until it finishes. The run belongs to
        the node: leaving the loop early does not stop it (see stop())."""
        stop = pb.StopCondition(heralds=heralds, attempts=attempts, lab_time_ps=int(lab_time_s * PS_PER_S))
        yield from self.runs.StartRun(pb.RunRequest(stop=stop, pace=pace, heralds=each_herald), metadata=self._metadata)

    def watch(self, each_herald=False):
        """Follows the node's current run (or returns the last one's final update)."""
        yield from self.runs.WatchRun(pb.WatchRequest(heralds=each_herald), metadata=self._metadata)

    def stop(self):
        """Stops the current run after its burst; the node leaves the lab in its safe state."""
        return self.runs.StopRun(pb.StopRequest(), metadata=self._metadata, timeout=self._timeout)
