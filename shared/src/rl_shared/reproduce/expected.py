"""Expected results: each paper folder's ``expected.json``, checked by ``rl reproduce --check``.

A paper folder keeps one ``expected.json`` for the reproductions it holds, keyed by
reproduction name and then by size. The smoke and quick sizes are seeded and deterministic on
the CPU, so they hold each metric's value with its tolerance (``|measured - value| <= atol +
rtol * |value|``); a metric that measures time (its name says ``seconds``, ``time``,
``speed``, ``throughput`` or ``latency``) is recorded but not checked. The full size holds the
last measured values with the date and the machine they were measured on. Every entry keeps
the run's wall time, which is what ``rl reproduce`` plans with.

``rl reproduce --update-expected`` rewrites the entries of the sizes it ran (keeping
tolerances a reviewer set by hand); the diff of ``expected.json`` is what a reviewer reads.

Example:
    >>> entry = expected_entry({"acc": 0.5, "train_seconds": 3.0}, 12.0, "smoke")
    >>> entry["metrics"]["acc"], entry["metrics"]["train_seconds"]["checked"]
    ({'value': 0.5, 'rtol': 0.001, 'atol': 1e-06}, False)
    >>> [d.metric for d in check_metrics("toy.demo", entry, {"acc": 0.6, "train_seconds": 9.0})]
    ['acc']
"""

from __future__ import annotations

import json
import math
import os
import platform
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rl_shared.io import atomic_write_text

__all__ = [
    "DEFAULT_ATOL",
    "DEFAULT_RTOL",
    "Drift",
    "check_metrics",
    "expected_entry",
    "expected_path",
    "machine",
    "read_expected",
    "write_expected",
]

#: relative tolerance of a smoke or quick metric (seeded CPU runs repeat to the last bit on
#: one machine; this leaves room for another BLAS build summing in another order)
DEFAULT_RTOL = 1e-3
#: absolute tolerance added to it (metrics that are exactly zero)
DEFAULT_ATOL = 1e-6
#: metric names that measure the machine, not the method: recorded, never checked
TIMING = re.compile(r"second|time|speed|throughput|latency|per_s\b|_ms\b|_s\b", re.IGNORECASE)


@dataclass(frozen=True)
class Drift:
    """A metric of a run that left its expected value's tolerance (or went missing).

    Args:
        name: the reproduction.
        metric: the metric's name.
        expected: the value in ``expected.json``.
        measured: the run's value (``None``: the run did not report it).
        tolerance: the allowed absolute difference.

    Example:
        >>> Drift("toy.demo", "acc", 0.5, 0.6, 0.0005).describe()
        'toy.demo: acc = 0.6 (expected 0.5 ± 0.0005)'
    """

    name: str
    metric: str
    expected: float
    measured: float | None
    tolerance: float

    def describe(self) -> str:
        """One line naming the reproduction, the metric and both values."""
        if self.measured is None:
            return f"{self.name}: {self.metric} missing from the run (expected {self.expected:.6g})"
        return (
            f"{self.name}: {self.metric} = {self.measured:.6g} "
            f"(expected {self.expected:.6g} ± {self.tolerance:.2g})"
        )


def expected_path(folder: str) -> Path | None:
    """The ``expected.json`` of the paper folder with module path ``folder`` (``rl_text.cvib``).

    Args:
        folder: :attr:`~rl_shared.reproduce.registry.Reproduction.folder`.

    Returns:
        The path (which may not exist yet), or ``None`` when the folder is not a package on
        disk (a reproduction defined in a test or a notebook).

    Example:
        >>> expected_path("rl_shared.cmim").name
        'expected.json'
        >>> expected_path("no_such_module_here") is None
        True
    """
    from importlib.util import find_spec

    try:
        spec = find_spec(folder)
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) / "expected.json" if locations else None


def read_expected(path: Path | None) -> dict[str, Any]:
    """The contents of an ``expected.json`` (``{}`` when there is none).

    Args:
        path: the file.

    Example:
        >>> read_expected(None)
        {}
    """
    if path is None or not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def machine() -> str:
    """What a full run's numbers were measured on: ``x86_64, 2 CPU cores``.

    Example:
        >>> "CPU cores" in machine()
        True
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{platform.machine()}, {cores} CPU cores"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def expected_entry(
    metrics: Mapping[str, float],
    seconds: float,
    size: str,
    previous: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``expected.json`` entry of one run at one size.

    Args:
        metrics: the run's metrics.
        seconds: its wall time.
        size: ``smoke``, ``quick`` or ``full``.
        previous: the entry it replaces; tolerances set there are kept.

    Returns:
        For smoke and quick, ``{"seconds", "metrics": {name: {"value", "rtol", "atol"}}}``
        (timing metrics ``{"value", "checked": false}``); for full, ``{"seconds", "date",
        "machine", "metrics": {name: value}}``.

    Example:
        >>> expected_entry({"acc": 0.9}, 60.0, "full")["metrics"]
        {'acc': 0.9}
    """
    numbers = {k: float(v) for k, v in metrics.items() if _is_number(v) and math.isfinite(v)}
    entry: dict[str, Any] = {"seconds": round(float(seconds), 1)}
    if size == "full":
        entry.update(date=date.today().isoformat(), machine=machine(), metrics=numbers)
        return entry
    old = (previous or {}).get("metrics", {})
    checked: dict[str, Any] = {}
    for key, value in numbers.items():
        if TIMING.search(key):
            checked[key] = {"value": value, "checked": False}
            continue
        before = old.get(key, {}) if isinstance(old.get(key), dict) else {}
        checked[key] = {
            "value": value,
            "rtol": float(before.get("rtol", DEFAULT_RTOL)),
            "atol": float(before.get("atol", DEFAULT_ATOL)),
        }
    entry["metrics"] = checked
    return entry


def check_metrics(name: str, entry: Mapping[str, Any], metrics: Mapping[str, float]) -> list[Drift]:
    """The metrics of a run that left their tolerance in ``entry`` (smoke or quick size).

    A metric the entry expects but the run did not report is a drift; one the run reports
    that the entry does not know is not (``--update-expected`` records it).

    Args:
        name: the reproduction.
        entry: its ``expected.json`` entry for the run's size.
        metrics: the run's metrics.

    Example:
        >>> entry = {"metrics": {"acc": {"value": 0.5, "rtol": 0.0, "atol": 0.01}}}
        >>> check_metrics("toy.demo", entry, {"acc": 0.505}), len(check_metrics("toy.demo", entry, {}))
        ([], 1)
    """
    drifts = []
    for key, spec in entry.get("metrics", {}).items():
        if not isinstance(spec, dict) or not spec.get("checked", True):
            continue
        value = float(spec["value"])
        tolerance = float(spec.get("atol", DEFAULT_ATOL)) + float(
            spec.get("rtol", DEFAULT_RTOL)
        ) * abs(value)
        measured = metrics.get(key)
        if measured is None or not _is_number(measured):
            drifts.append(Drift(name, key, value, None, tolerance))
        elif not (abs(float(measured) - value) <= tolerance):  # NaN drifts too
            drifts.append(Drift(name, key, value, float(measured), tolerance))
    return drifts


def write_expected(path: Path, name: str, size: str, entry: Mapping[str, Any]) -> None:
    """Set ``path[name][size] = entry`` and rewrite the file atomically (sorted, indented).

    Args:
        path: the paper folder's ``expected.json``.
        name: the reproduction.
        size: the size the entry is for.
        entry: from :func:`expected_entry`.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "expected.json"
        >>> write_expected(path, "toy.demo", "smoke", {"seconds": 1.0, "metrics": {}})
        >>> read_expected(path)
        {'toy.demo': {'smoke': {'metrics': {}, 'seconds': 1.0}}}
    """
    data = read_expected(path)
    data.setdefault(name, {})[size] = dict(entry)
    atomic_write_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n")
