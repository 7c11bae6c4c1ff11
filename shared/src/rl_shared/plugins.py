"""Loading the entry points through which members plug into ``rl``.

A member that is installed but broken (a missing module, an import error) must not take
the whole command down: its entry points are skipped with one warning on stderr.
"""

from __future__ import annotations

import sys
from importlib.metadata import EntryPoint, entry_points
from typing import Any

__all__ = ["load_entry_points"]

_warned: set[str] = set()


def load_entry_points(group: str) -> list[tuple[EntryPoint, Any]]:
    """``(entry point, loaded object)`` for each entry point of ``group`` that imports."""
    loaded = []
    for ep in entry_points(group=group):
        try:
            loaded.append((ep, ep.load()))
        except Exception as err:  # a broken member is reported, not fatal
            key = f"{group}:{ep.name}"
            if key not in _warned:
                _warned.add(key)
                print(
                    f"warning: skipping {group} entry '{ep.name}' ({ep.value}): {type(err).__name__}: {err}",
                    file=sys.stderr,
                )
    return loaded
