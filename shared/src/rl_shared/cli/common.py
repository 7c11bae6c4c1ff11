"""Output helpers shared by every ``rl`` sub-command: strict JSON and one progress factory.

A member adds a command group with an entry point in the group ``rl.commands``::

    [project.entry-points."rl.commands"]
    retrieval = "rl_retrieval.cli:group"

and builds its options with the factories of :mod:`rl_shared.cli.options`.

Example:
    >>> emit_json({"loss": float("nan"), "n": 2})
    {
      "loss": null,
      "n": 2
    }
    >>> list(progress(True)(range(3), "steps"))
    [0, 1, 2]
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import click

from rl_shared.cli.options import json_option, seed_option
from rl_shared.runtime import seed_everything

__all__ = [
    "emit_json",
    "json_option",
    "progress",
    "seed_everything",
    "seed_option",
    "strict_json",
]

T = TypeVar("T")


def strict_json(obj: Any) -> Any:
    """``obj`` with NaN and infinities replaced by ``None`` and numpy/torch scalars as numbers.

    Args:
        obj: a JSON-like value: dicts (keys become strings), lists, tuples, floats, and
            arrays or tensors (anything with ``tolist``/``item``), nested as deep as needed.

    Example:
        >>> import numpy as np
        >>> strict_json({1: float("inf"), "x": np.float32(0.5), "v": (np.arange(2), None)})
        {'1': None, 'x': 0.5, 'v': [[0, 1], None]}
    """
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): strict_json(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [strict_json(v) for v in obj]
    if hasattr(obj, "tolist") and callable(obj.tolist):
        return strict_json(obj.tolist())
    if hasattr(obj, "item") and callable(obj.item):
        return strict_json(obj.item())
    return obj


def _non_finite(obj: Any, where: str = "") -> Iterator[str]:
    """The paths (``metrics.spearman``) of the NaN and infinite floats inside ``obj``."""
    if isinstance(obj, float) and not math.isfinite(obj):
        yield where or "<value>"
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _non_finite(value, f"{where}.{key}" if where else str(key))
    elif isinstance(obj, list | tuple):
        for i, value in enumerate(obj):
            yield from _non_finite(value, f"{where}[{i}]")


def emit_json(obj: Any) -> None:
    """Write ``obj`` as one strict JSON document on stdout (NaN and infinities become null).

    Each replaced value is named in one ``warning:`` line on stderr, so a ``null`` that stands
    for an undefined metric (a correlation of constant scores) is never silent.

    Args:
        obj: anything :func:`strict_json` accepts; other values are written as their ``str``.

    Example:
        >>> import contextlib, io
        >>> err = io.StringIO()
        >>> with contextlib.redirect_stderr(err):
        ...     emit_json({"spearman": float("nan")})
        {
          "spearman": null
        }
        >>> err.getvalue()
        'warning: not a finite number, written as null: spearman\\n'
    """
    replaced = list(_non_finite(obj))
    if replaced:
        shown = ", ".join(replaced[:5]) + (
            f" and {len(replaced) - 5} more" if len(replaced) > 5 else ""
        )
        click.echo(f"warning: not a finite number, written as null: {shown}", err=True)
    click.echo(json.dumps(strict_json(obj), indent=2, allow_nan=False, default=str))


def progress(as_json: bool) -> Callable[..., Iterable[Any]]:
    """The progress factory: ``track(iterable, description, total=None)``.

    Args:
        as_json: under ``--json`` no bar is drawn (``track`` returns the iterable itself);
            otherwise a tqdm bar goes to stderr.
    """

    def track(items: Iterable[T], description: str = "", total: int | None = None) -> Iterator[T]:
        if as_json:
            yield from items
            return
        from tqdm.auto import tqdm

        yield from tqdm(items, desc=description, total=total, file=sys.stderr, leave=False)

    return track
