"""rl-recsys: dual (IN/OUT) skip-gram product embeddings for similar and complementary items.

One paper, one folder: :mod:`rl_recsys.dual_embeddings` ("Two Is Better Than One: Dual
Embeddings for Complementary Product Recommendations", arXiv:2211.14982). Its public names
are re-exported here and imported on first use.

References:
    Two Is Better Than One: Dual Embeddings for Complementary Product Recommendations,
    arXiv:2211.14982.

Example:
    >>> from rl_recsys import DualEmbeddings, SGNSConfig
    >>> model = DualEmbeddings.fit([["tea", "lemon"]] * 20, SGNSConfig(dim=4, epochs=2))
    >>> sorted(model.items)
    ['lemon', 'tea']
"""

from rl_shared.lazy import lazy_exports

__version__ = "0.1.0"

_PAPER = "rl_recsys.dual_embeddings"
_EXPORTS = {
    name: f"{_PAPER}.{module}"
    for module, names in {
        "baselines": ("CooccurrenceLift", "Popularity"),
        "cold_items": ("ColdItemMapper", "add_cold_items", "embed_items", "synthetic_baskets"),
        "data": (
            "item_counts",
            "load_baskets",
            "load_data",
            "load_groceries",
            "read_baskets",
            "read_transactions",
            "split_baskets",
        ),
        "evaluation": ("DualScorer", "evaluate", "hit_curve", "leave_one_out"),
        "model": ("DualEmbeddings",),
        "sgns": ("SGNSConfig",),
        "tuning": ("TuningResult", "tune"),
    }.items()
    for name in names
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
