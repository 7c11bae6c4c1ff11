"""rl-recsys: dual (IN/OUT) skip-gram product embeddings for similar and complementary items.

References:
    Two Is Better Than One: Dual Embeddings for Complementary Product Recommendations,
    arXiv:2211.14982.

Example:
    >>> from rl_recsys import DualEmbeddings, SGNSConfig
    >>> model = DualEmbeddings.fit([["tea", "lemon"]] * 20, SGNSConfig(dim=4, epochs=2))
    >>> sorted(model.items)
    ['lemon', 'tea']
"""

from rl_recsys.baselines import CooccurrenceLift, Popularity
from rl_recsys.baskets import (
    item_counts,
    load_baskets,
    read_baskets,
    read_transactions,
    split_baskets,
)
from rl_recsys.cold_items import ColdItemMapper, add_cold_items, embed_texts, synthetic_baskets
from rl_recsys.datasets import load_groceries
from rl_recsys.dual_embeddings import DualEmbeddings, SGNSConfig
from rl_recsys.evaluation import DualScorer, evaluate, hit_curve, leave_one_out
from rl_recsys.tuning import TuningResult, tune

__version__ = "0.1.0"

__all__ = [
    "ColdItemMapper",
    "CooccurrenceLift",
    "DualEmbeddings",
    "DualScorer",
    "Popularity",
    "SGNSConfig",
    "TuningResult",
    "add_cold_items",
    "embed_texts",
    "evaluate",
    "hit_curve",
    "item_counts",
    "leave_one_out",
    "load_baskets",
    "load_groceries",
    "read_baskets",
    "read_transactions",
    "split_baskets",
    "synthetic_baskets",
    "tune",
]
