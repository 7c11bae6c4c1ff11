"""Lazy package exports: a package's names are imported from their module on first access.

A member's ``__init__.py`` re-exports its public names (``from rl_graph import GINClassifier``)
without importing the modules that define them, so ``import rl_graph.cli`` -- what the ``rl``
command does to list a member's commands and reproductions -- does not load torch, PyG or
PySCF. It is PEP 562's module ``__getattr__`` and ``__dir__``, with each name resolved once
and then cached on the package as an ordinary attribute.

Use it as::

    from rl_shared.lazy import lazy_exports

    _EXPORTS = {"GINClassifier": "rl_graph.models", "fit": "rl_graph.training:train"}
    __all__ = ["GINClassifier", "fit"]
    __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

References:
    PEP 562 -- Module __getattr__ and __dir__, https://peps.python.org/pep-0562/

Example:
    >>> import sys, types
    >>> pkg = sys.modules["demo_pkg"] = types.ModuleType("demo_pkg")
    >>> exports = {"to_text": "json:dumps", "JSONDecodeError": "json"}
    >>> pkg.__getattr__, pkg.__dir__ = lazy_exports("demo_pkg", exports)
    >>> "to_text" in vars(pkg), "to_text" in dir(pkg)
    (False, True)
    >>> pkg.to_text({"a": 1})
    '{"a": 1}'
    >>> "to_text" in vars(pkg)
    True
    >>> pkg.nothing
    Traceback (most recent call last):
    ...
    AttributeError: module 'demo_pkg' has no attribute 'nothing'
    >>> del sys.modules["demo_pkg"]
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Module-level ``(__getattr__, __dir__)`` for ``package`` that import its exports on demand.

    Args:
        package: the package's ``__name__``.
        exports: ``{name: "module[:attribute]"}``; the attribute defaults to ``name``, and a
            module starting with ``.`` is relative to ``package``.

    Returns:
        ``__getattr__(name)`` imports ``module``, caches ``module.attribute`` on the package
        (so later lookups never call it again) and returns it; any other name raises
        ``AttributeError`` naming the package. ``__dir__()`` lists the package's attributes
        and every export.
    """
    table = dict(exports)

    def __getattr__(name: str) -> Any:
        target = table.get(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attribute = target.partition(":")
        value = getattr(importlib.import_module(module, package), attribute or name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *table})

    return __getattr__, __dir__
