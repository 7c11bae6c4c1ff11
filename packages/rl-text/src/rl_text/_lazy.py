"""Lazy package exports: names are imported from their module on first access (PEP 562).

Keeps ``import rl_text.<subpackage>.commands`` (what ``rl --help`` and the CLI load) free of
torch and the other heavy imports the subpackage's modules need.

Example:
    >>> getattr_, dir_ = lazy_exports("json", {"dumps_alias": "json:dumps"})
    >>> getattr_("dumps_alias")({"a": 1})
    '{"a": 1}'
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: dict[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package`` exporting ``name -> "module[:attribute]"``."""

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attribute = exports[name].partition(":")
        value = getattr(importlib.import_module(module), attribute or name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *exports})

    return __getattr__, __dir__
