"""Typed exceptions for what an IonLink node refuses or a device fails at.

A node answers a failed device call with a gRPC status and the fault itself in the binary trailer
``ionlink-fault-bin`` (a ``DeviceFault`` message). :func:`from_rpc_error` turns that into one of the
classes below, mirroring IonLink's device errors: a setpoint outside the lab's limits is
:class:`SetpointOutOfRange` (also a :class:`ValueError`), a device that did not answer is
:class:`DeviceTimeout` (also a :class:`TimeoutError`), a device off its bus is :class:`DeviceDisconnected`
(also a :class:`ConnectionError`). Failures of the call itself (a wrong token, a missing role, a node
that cannot be reached) are :class:`NodeError` subclasses.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

import grpc

FAULT_TRAILER = "ionlink-fault-bin"


class IonLinkError(Exception):
    """Anything IonLink refused or failed at."""


class NodeError(IonLinkError):
    """The call failed at the node, not at a device: ``code`` is the gRPC status code's name."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class Unauthenticated(NodeError):
    """The node does not know the token."""


class PermissionDenied(NodeError, PermissionError):
    """The token's role may not do this (an observer commanding)."""


class NodeUnavailable(NodeError, ConnectionError):
    """The node cannot be reached."""


class InvalidArgument(NodeError, ValueError):
    """The node refused the request's arguments."""


class Busy(NodeError):
    """The node is running another run (FAILED_PRECONDITION)."""


@dataclass
class Fault:
    """The fault a node sent with a failed device call (its ``DeviceFault``)."""

    domain: str
    kind: str
    device: str
    command: str
    reply: str
    message: str
    requested: float
    allowed: Optional[Tuple[float, float]]
    number: int


class DeviceError(IonLinkError):
    """A device call failed; ``fault`` holds what the node said (domain, kind, device, command, ...)."""

    def __init__(self, code: str, fault: Fault):
        super().__init__(f"{fault.domain} {fault.kind}: {fault.message}")
        self.code = code
        self.fault = fault

    @property
    def device(self) -> str:
        return self.fault.device


class SetpointOutOfRange(DeviceError, ValueError):
    """The setpoint (or index, or duration) lies outside what the lab allows; nothing was sent.
    ``fault.requested`` and ``fault.allowed`` are in SI units."""


class DeviceTimeout(DeviceError, TimeoutError):
    """The instrument did not answer in time."""


class DeviceDisconnected(DeviceError, ConnectionError):
    """The instrument is gone (unplugged, port closed, node unreachable)."""


class MalformedReply(DeviceError):
    """The instrument answered something its driver could not read."""


class WrongInstrument(DeviceError):
    """A different instrument answered the identification query."""


class Rejected(DeviceError):
    """The instrument (or the node serving it) refused the command."""


class NotApplied(DeviceError):
    """The instrument did not take the setpoint (its read-back differs)."""


class DeviceFailure(DeviceError):
    """Another failure of the device kind's own (an open interlock, a latched detector, a failed load)."""


_BY_KIND = {
    "timeout": DeviceTimeout,
    "disconnected": DeviceDisconnected,
    "malformedReply": MalformedReply,
    "wrongInstrument": WrongInstrument,
    "rejected": Rejected,
    "notApplied": NotApplied,
}

_BY_CODE = {
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDenied,
    grpc.StatusCode.UNAVAILABLE: NodeUnavailable,
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgument,
    grpc.StatusCode.FAILED_PRECONDITION: Busy,
}


def fault_of(error: grpc.RpcError) -> Optional[Fault]:
    """The ``DeviceFault`` a node sent in the trailer of ``error``, if any."""
    from ._proto import ionlink_pb2 as pb

    for key, value in error.trailing_metadata() or ():
        if key == FAULT_TRAILER:
            f = pb.DeviceFault.FromString(value)
            allowed = (f.allowed.lower, f.allowed.upper) if f.HasField("allowed") else None
            return Fault(f.domain, f.kind, f.device, f.command, f.reply, f.message, f.requested, allowed, f.number)
    return None


def from_rpc_error(error: grpc.RpcError) -> IonLinkError:
    """The typed exception for a failed call: a device's fault if the node sent one, else the node's status."""
    code = error.code()
    fault = fault_of(error)
    if fault is not None:
        if code == grpc.StatusCode.OUT_OF_RANGE:
            return SetpointOutOfRange(code.name, fault)
        return _BY_KIND.get(fault.kind, DeviceFailure)(code.name, fault)
    return _BY_CODE.get(code, NodeError)(code.name, error.details() or "")
