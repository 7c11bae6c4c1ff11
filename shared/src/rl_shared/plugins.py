"""Loading the entry points through which members plug into ``rl``.

A member that is installed but broken (a missing module, an import error) must not take
the whole command down: its entry points are skipped with one warning on stderr. What
third-party libraries print while a member is imported (build banners of compiled
extensions, deprecation warnings of their dependencies) is kept off the terminal, so
``rl`` prints only its own lines.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Iterator
from importlib.metadata import EntryPoint, entry_points
from typing import Any

__all__ = ["entry_point_names", "load_entry_points", "quiet_imports"]

_warned: set[str] = set()


def entry_point_names(group: str) -> list[str]:
    """Names registered in ``group``, without importing anything.

    Args:
        group: the entry-point group (``"rl.commands"``, ``"rl.reproductions"``,
            ``"rl.datasets"``).

    Returns:
        the names, sorted and without duplicates (empty for an unknown group).

    Example:
        >>> "shared.cmim" in entry_point_names("rl.reproductions")
        True
        >>> entry_point_names("rl.no-such-group")
        []
    """
    return sorted({ep.name for ep in entry_points(group=group)})


@contextlib.contextmanager
def quiet_imports() -> Iterator[None]:
    """Silence warnings and anything written to file descriptors 1 and 2 inside the block.

    Where the process has no real descriptors 1 and 2, only the warnings are silenced.

    Example:
        >>> import os, warnings
        >>> with quiet_imports():
        ...     _ = os.write(2, b"a compiled extension's banner\\n")
        ...     warnings.warn("a dependency's deprecation warning")
        >>> print("printed again")
        printed again
    """
    sys.stdout.flush()
    sys.stderr.flush()
    saved = []
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        for fd in (1, 2):
            saved.append((fd, os.dup(fd)))
            os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:  # no real descriptors (e.g. an embedding host): only silence warnings
        pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, copy in saved:
            os.dup2(copy, fd)
            os.close(copy)


def load_entry_points(group: str) -> list[tuple[EntryPoint, Any]]:
    """``(entry point, loaded object)`` for each entry point of ``group`` that imports.

    Each is imported inside :func:`quiet_imports`; one that fails is skipped with one
    warning on stderr (once per process).

    Args:
        group: the entry-point group.

    Example:
        >>> from rl_shared.data import Dataset
        >>> loaded = dict((ep.name, obj) for ep, obj in load_entry_points("rl.datasets"))
        >>> all(isinstance(d, Dataset) for d in loaded["shared"])
        True
    """
    loaded = []
    for ep in entry_points(group=group):
        try:
            with quiet_imports():
                obj = ep.load()
        except Exception as err:  # a broken member is reported, not fatal
            key = f"{group}:{ep.name}"
            if key not in _warned:
                _warned.add(key)
                print(
                    f"warning: skipping {group} entry '{ep.name}' ({ep.value}): {type(err).__name__}: {err}",
                    file=sys.stderr,
                )
            continue
        loaded.append((ep, obj))
    return loaded
