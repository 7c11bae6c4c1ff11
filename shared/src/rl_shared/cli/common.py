"""Options and output helpers shared by every ``rl`` sub-command.

A member adds a command group with an entry point in the group ``rl.commands``::

    [project.entry-points."rl.commands"]
    retrieval = "rl_retrieval.cli:group"

and uses :func:`seed_option`, :func:`json_option` and :func:`emit_json` so every command
takes ``--seed`` and ``--json`` the same way.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any, TypeVar

import click

__all__ = ["emit_json", "json_option", "seed_everything", "seed_option"]

F = TypeVar("F", bound=Callable[..., Any])


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and torch."""
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def seed_option(func: F) -> F:
    """``--seed N`` (default 0); seeds Python, NumPy and torch before the command runs."""

    def callback(ctx: click.Context, param: click.Parameter, value: int) -> int:
        seed_everything(value)
        return value

    return click.option(
        "--seed", type=int, default=0, show_default=True, callback=callback, help="Random seed."
    )(func)


def json_option(func: F) -> F:
    """``--json``: print one JSON object on stdout and nothing else there."""
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="Print one JSON object on stdout (progress goes to stderr).",
    )(func)


def emit_json(obj: Any) -> None:
    """Write ``obj`` as one JSON document on stdout."""
    click.echo(
        json.dumps(obj, indent=2, default=lambda o: o.item() if hasattr(o, "item") else str(o))
    )
