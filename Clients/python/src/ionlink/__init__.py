"""IonLink from Python: nodes served by ``ionlink serve`` (:class:`Node`, :class:`Run`), typed exceptions
mirroring the devices' errors (:mod:`ionlink.errors`), and run records (:mod:`ionlink.records`)."""
from . import errors, records
from .errors import (DeviceDisconnected, DeviceError, DeviceFailure, DeviceTimeout, IonLinkError, NodeError, PermissionDenied,
                     SetpointOutOfRange, Unauthenticated)
from .node import PS_PER_S, Herald, Node, Run

__all__ = ["Node", "Run", "Herald", "PS_PER_S", "errors", "records", "IonLinkError", "NodeError", "Unauthenticated", "PermissionDenied",
           "DeviceError", "SetpointOutOfRange", "DeviceTimeout", "DeviceDisconnected", "DeviceFailure"]
__version__ = "0.6.0"
