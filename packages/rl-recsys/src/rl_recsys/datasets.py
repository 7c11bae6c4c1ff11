"""Datasets rl-recsys reads, registered under the entry-point group ``rl.datasets``.

The loader is :func:`rl_recsys.dual_embeddings.data.load_groceries`; this module only
declares where the file lives, so that ``rl data list`` stays light.

Example:
    >>> [d.name for d in DATASETS]
    ['groceries']
"""

from __future__ import annotations

from rl_shared.data import Dataset

__all__ = ["DATASETS", "GROCERIES"]

GROCERIES = Dataset(
    name="groceries",
    path="baskets",
    files=("groceries.csv",),
    description="Groceries market baskets (R arules): 9,835 baskets, 169 items",
    hint="put groceries.csv (one basket per line, comma-separated items) there",
    used_by=("recsys.dual-embeddings",),
)

DATASETS = [GROCERIES]
