"""IonLink run records (HDF5), as NumPy structured arrays (or pandas frames, if pandas is installed).

    rec = ionlink.records.open("runs/run-20261202-041500-seed1.h5")
    rec.heralds["lab_time_ps"], rec.heralds["pattern"]     # one row per herald
    rec.blocks["attempts"][-1]                             # cumulative totals, one row per flush
    rec.config_yaml, rec.summary, rec.model, rec.devices

The layout is ``ionlink-run/2`` (docs/records.md): ``/heralds``, ``/blocks``, ``/clicks`` and ``/tags`` are
groups of equal-length columns. A killed run's record (its writer gone without closing) is opened in
HDF5's SWMR read mode and holds everything up to its last flush.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

import h5py
import numpy as np

FORMAT = "ionlink-run/2"


class RecordError(Exception):
    """The file is not an IonLink run record this reader understands."""


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _table(group: Optional[h5py.Group]) -> np.ndarray:
    """A group of equal-length 1-D columns as one structured array (fields in the group's order)."""
    if group is None or len(group.keys()) == 0:
        return np.zeros(0, dtype=[])
    columns = {name: np.asarray(group[name][:]) for name in group.keys()}
    lengths = {len(c) for c in columns.values()}
    if len(lengths) != 1:
        # A run killed inside a flush: keep the rows every column has.
        n = min(lengths)
        columns = {k: v[:n] for k, v in columns.items()}
    n = len(next(iter(columns.values())))
    table = np.empty(n, dtype=[(k, v.dtype) for k, v in columns.items()])
    for k, v in columns.items():
        table[k] = v
    return table


@dataclass
class Record:
    """One run's record, read whole (the file is closed again)."""

    path: str
    attrs: Dict[str, Any]
    config_yaml: str
    heralds: np.ndarray
    blocks: np.ndarray
    clicks: np.ndarray
    tags: np.ndarray
    model: Dict[str, float] = field(default_factory=dict)
    devices: Dict[str, str] = field(default_factory=dict)

    @property
    def seed(self) -> int:
        return int(self.attrs["seed"])

    @property
    def finished(self) -> bool:
        """Whether the run ended and wrote its summary (a killed run's record has none)."""
        return "summary_json" in self.attrs

    @property
    def summary(self) -> Optional[Dict[str, Any]]:
        """The finished run's summary (what ``ionlink run --json`` printed), or None."""
        return json.loads(self.attrs["summary_json"]) if self.finished else None

    def config(self) -> Dict[str, Any]:
        """The lab YAML as a dict (needs PyYAML)."""
        import yaml

        return yaml.safe_load(self.config_yaml)

    def frames(self) -> Dict[str, Any]:
        """``heralds``, ``blocks``, ``clicks`` and ``tags`` as pandas DataFrames (needs pandas)."""
        import pandas as pd

        return {name: pd.DataFrame(getattr(self, name)) for name in ("heralds", "blocks", "clicks", "tags")}


def open(path: str) -> Record:  # noqa: A001 - the module's verb, as in ionlink.records.open
    """Reads the record at ``path``; raises :class:`RecordError` for a file that is not one."""
    try:
        f = h5py.File(path, "r")
    except OSError:
        try:
            f = h5py.File(path, "r", swmr=True)
        except OSError as e:
            raise RecordError(f"{path}: not an HDF5 file IonLink can read ({e})") from None
    with f:
        attrs = {k: (_text(v) if isinstance(v, (bytes, np.bytes_)) else v.item() if hasattr(v, "item") else v) for k, v in f.attrs.items()}
        if attrs.get("format") != FORMAT:
            raise RecordError(f"{path}: format {attrs.get('format')!r}, not {FORMAT}")
        return Record(
            path=path,
            attrs=attrs,
            config_yaml=_text(f["config/yaml"][()]) if "config/yaml" in f else "",
            heralds=_table(f.get("heralds")),
            blocks=_table(f.get("blocks")),
            clicks=_table(f.get("clicks")),
            tags=_table(f.get("tags")),
            model={k: float(v) for k, v in f["model"].attrs.items()} if "model" in f else {},
            devices={k: _text(v) for k, v in f["devices"].attrs.items()} if "devices" in f else {},
        )


__all__ = ["Record", "RecordError", "open", "FORMAT"]
