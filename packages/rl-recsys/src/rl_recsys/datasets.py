"""Datasets rl-recsys reads, registered under the entry-point group ``rl.datasets``.

Example:
    >>> [d.name for d in DATASETS]
    ['groceries']
"""

from __future__ import annotations

from pathlib import Path

from rl_recsys.baskets import Basket, read_baskets
from rl_shared.data import Dataset

__all__ = ["DATASETS", "GROCERIES", "load_groceries"]

GROCERIES = Dataset(
    name="groceries",
    path="baskets",
    files=("groceries.csv",),
    description="Groceries market baskets (R arules): 9,835 baskets, 169 items",
    hint="put groceries.csv (one basket per line, comma-separated items) there",
    used_by=("recsys.groceries",),
)

DATASETS = [GROCERIES]


def load_groceries() -> list[Basket]:
    """The Groceries baskets in file order; raises ``DatasetNotFound`` when absent."""
    folder: Path = GROCERIES.locate()
    return read_baskets(folder / "groceries.csv")
