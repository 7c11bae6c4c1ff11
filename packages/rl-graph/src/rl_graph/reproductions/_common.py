"""Helpers shared by the rl-graph reproductions: seed statistics, threads, tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

__all__ = ["mean_std", "one_thread", "pm"]


def mean_std(values: list[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for one value)."""
    arr = np.asarray(values, dtype=float)
    return float(arr.mean()), float(arr.std(ddof=1)) if len(arr) > 1 else 0.0


def pm(values: list[float], scale: float = 1.0) -> str:
    """``mean ± std`` of ``values`` times ``scale`` with two decimals."""
    m, s = mean_std(values)
    return f"{m * scale:.2f} ± {s * scale:.2f}"


@contextmanager
def one_thread() -> Iterator[None]:
    """Run torch on one thread (small graphs: thread hand-off costs more than it saves)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
