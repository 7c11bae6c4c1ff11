"""Datasets rl-recsys reads, registered under the entry-point group ``rl.datasets``.

The loader is :func:`rl_recsys.dual_embeddings.data.load_groceries`; this module only
declares where the file lives, so that ``rl data list`` stays light.

Example:
    >>> [d.name for d in DATASETS]
    ['groceries']
"""

from __future__ import annotations

from rl_shared.data import Dataset, github

__all__ = ["DATASETS", "GROCERIES"]

GROCERIES_SOURCE = github(
    "stedy/Machine-Learning-with-R-datasets",
    "ff933238d9c30da179b7e3ad4b6ca938d67efc53",
    """
    500843 ff1be892fd6b9b57d1a7bc50de067798963dda607619645988b21789bf23ae3b groceries.csv
    """,
    licence="public domain (per the repository README)",
    citation=(
        "Hahsler, Hornik & Reutterer 2006, Implications of probabilistic data modeling "
        "for mining association rules (the arules Groceries data)"
    ),
)

GROCERIES = Dataset(
    name="groceries",
    path="baskets",
    files=("groceries.csv",),
    description="Groceries market baskets (R arules): 9,835 baskets, 169 items",
    hint="put groceries.csv (one basket per line, comma-separated items) there",
    used_by=("recsys.dual-embeddings",),
    source=GROCERIES_SOURCE,
)

DATASETS = [GROCERIES]
