"""Helpers shared by the rl-vision reproductions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import combinations

import torch

from rl_vision.scenes.dataset import MODALITIES

__all__ = ["SUBSETS", "one_thread", "subset_name"]

#: the 15 non-empty subsets of the four modalities, smallest first
SUBSETS: tuple[tuple[str, ...], ...] = tuple(
    c for k in range(1, len(MODALITIES) + 1) for c in combinations(MODALITIES, k)
)


def subset_name(subset: tuple[str, ...]) -> str:
    """``("rgb", "depth")`` -> ``"R+D"``."""
    return "+".join({"rgb": "R", "depth": "D", "event": "E", "lidar": "L"}[m] for m in subset)


@contextmanager
def one_thread() -> Iterator[None]:
    """One torch thread: small images on a shared 2-core machine run faster without hand-offs."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
