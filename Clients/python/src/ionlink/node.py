"""A node served by ``ionlink serve``: its devices and its heralding runs, over gRPC.

Every call presents the bearer token; a failure raises one of :mod:`ionlink.errors`' exceptions.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, Iterator, Optional

import grpc

from . import errors
from ._proto import ionlink_pb2 as pb
from ._proto import ionlink_pb2_grpc as rpc

PS_PER_S = 1_000_000_000_000

_BASES = {pb.BASIS_X: "X", pb.BASIS_Y: "Y", pb.BASIS_Z: "Z"}


@dataclass(frozen=True)
class Herald:
    """One heralded pair as a run streams it."""

    run: int
    lab_time_s: float
    attempt: int
    bell_state: str
    basis: str
    eigenvalue_a: int
    eigenvalue_b: int


class Run:
    """A run started on a node, as an iterator over its updates (``RunUpdate`` messages) until it finishes.

    The run belongs to the node: leaving the loop early does not stop it (:meth:`Node.stop` does). Once the
    last update has been read, :attr:`summary` holds the finished run's summary (the JSON object
    ``ionlink run --json`` prints) and :attr:`record` the path of its HDF5 record on the node.
    """

    def __init__(self, updates: Iterator[Any]):
        self._updates = updates
        self.last: Optional[Any] = None
        self.number = 0
        self.record = ""

    def __iter__(self) -> "Run":
        return self

    def __next__(self) -> Any:
        try:
            update = next(self._updates)
        except grpc.RpcError as e:
            raise errors.from_rpc_error(e) from None
        self.last = update
        self.number = update.run
        if update.record:
            self.record = update.record
        return update

    def heralds(self) -> Iterator[Herald]:
        """Yields each herald as the run produces it (start the run with ``each_herald=True``), to the end."""
        for update in self:
            if update.HasField("herald"):
                h = update.herald
                yield Herald(update.run, h.lab_time_ps / PS_PER_S, h.attempt, h.bell_state, _BASES.get(h.basis, str(h.basis)),
                             h.eigenvalue_a, h.eigenvalue_b)

    def wait(self) -> "Run":
        """Reads the run's updates to its end."""
        for _ in self:
            pass
        return self

    @property
    def finished(self) -> bool:
        return self.last is not None and self.last.phase == pb.RunUpdate.PHASE_FINISHED

    @property
    def summary(self) -> Optional[Dict[str, Any]]:
        """The finished run's summary, or None before the end (or if the run could not start)."""
        if not self.finished or not self.last.summary_json:
            return None
        return json.loads(self.last.summary_json)

    def open_record(self):
        """The run's record (:func:`ionlink.records.open`), read on this machine."""
        from . import records

        if not self.record:
            raise errors.IonLinkError("the node keeps no record of this run (ionlink serve --no-record?)")
        return records.open(self.record)


class Node:
    """One node. ``token`` (or ``token_file``, mode 600) is the bearer token; ``ca`` turns on TLS, with
    ``certificate`` and ``key`` for mutual TLS."""

    def __init__(self, address: str, token: Optional[str] = None, *, token_file: Optional[str] = None, ca: Optional[str] = None,
                 certificate: Optional[str] = None, key: Optional[str] = None, timeout: float = 10.0):
        if token is None:
            if token_file is None:
                raise ValueError("Node needs a token or a token_file")
            with open(token_file) as f:
                token = f.read().strip()
        if ca is not None:
            def read(p):
                if p is None:
                    return None
                with open(p, "rb") as f:
                    return f.read()
            credentials = grpc.ssl_channel_credentials(root_certificates=read(ca), private_key=read(key),
                                                       certificate_chain=read(certificate))
            self._channel = grpc.secure_channel(address, credentials)
        else:
            self._channel = grpc.insecure_channel(address)
        self._metadata = (("authorization", f"Bearer {token}"),)
        self._timeout = timeout
        self.devices = rpc.DevicesStub(self._channel)
        self.runs = rpc.RunsStub(self._channel)

    def __enter__(self) -> "Node":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._channel.close()

    def _call(self, method, request):
        try:
            return method(request, metadata=self._metadata, timeout=self._timeout)
        except grpc.RpcError as e:
            raise errors.from_rpc_error(e) from None

    def describe(self):
        """The node, its devices with their limits, and who we are to it (a ``NodeDescription``)."""
        return self._call(self.devices.Describe, pb.DescribeRequest())

    def status(self):
        """Each device's state and the current run's totals (a ``NodeStatus``)."""
        return self._call(self.runs.Status, pb.StatusRequest())

    def laser_status(self, role: str):
        return self._call(self.devices.Laser, pb.LaserCall(role=role, status=pb.Empty()))

    def set_laser_power(self, role: str, watts: float):
        """Sets a laser's power, in watts (control role); one outside the lab's limit raises SetpointOutOfRange."""
        return self._call(self.devices.Laser, pb.LaserCall(role=role, set_power_w=watts))

    def run(self, heralds: int = 0, attempts: int = 0, lab_time_s: float = 0.0, pace: float = 0.0, each_herald: bool = False) -> Run:
        """Starts a heralding run (control role) that stops after ``heralds``, ``attempts`` or ``lab_time_s``;
        iterate the returned :class:`Run` for its updates."""
        for name, value in (("heralds", heralds), ("attempts", attempts), ("lab_time_s", lab_time_s), ("pace", pace)):
            if value < 0 or value != value:
                raise ValueError(f"{name} must be ≥ 0, got {value}")
        stop = pb.StopCondition(heralds=heralds, attempts=attempts, lab_time_ps=int(round(lab_time_s * PS_PER_S)))
        return Run(self.runs.StartRun(pb.RunRequest(stop=stop, pace=pace, heralds=each_herald), metadata=self._metadata))

    def watch(self, each_herald: bool = False) -> Run:
        """Follows the node's current run (or gives the last one's final update)."""
        return Run(self.runs.WatchRun(pb.WatchRequest(heralds=each_herald), metadata=self._metadata))

    def stop(self):
        """Stops the current run after its burst; the node leaves the lab in its safe state."""
        return self._call(self.runs.StopRun, pb.StopRequest())
