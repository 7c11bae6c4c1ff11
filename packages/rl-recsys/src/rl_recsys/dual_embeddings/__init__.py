"""Dual (IN/OUT) skip-gram product embeddings: similar items by IN·IN, complements by IN·OUT.

The paper "Two Is Better Than One: Dual Embeddings for Complementary Product
Recommendations" (arXiv:2211.14982) as components: the model on gensim
(:class:`DualEmbeddings`, :class:`SGNSConfig`), basket loaders (:func:`load_data`,
:func:`load_groceries`), popularity and lift baselines, leave-one-out evaluation, cold items
from side information, hyper-parameter tuning, the training entry points, the
``rl recsys dual-embeddings`` commands and the reproduction ``recsys.dual-embeddings``.
Names are imported on first use (:func:`rl_shared.lazy.lazy_exports`).

References:
    Kvernadze, Sudyanti, Subedi & Hajiaghayi, Two Is Better Than One: Dual Embeddings for
    Complementary Product Recommendations, arXiv:2211.14982.

Example:
    >>> from rl_recsys.dual_embeddings import DualEmbeddings, SGNSConfig
    >>> model = DualEmbeddings.fit([["tea", "lemon"]] * 20, SGNSConfig(dim=4, epochs=2))
    >>> [item for item, _ in model.complementary("tea", k=1)]
    ['lemon']
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "CITATION": "rl_recsys.dual_embeddings.model",
    "ColdItemMapper": "rl_recsys.dual_embeddings.cold_items",
    "CooccurrenceLift": "rl_recsys.dual_embeddings.baselines",
    "DualEmbeddings": "rl_recsys.dual_embeddings.model",
    "DualScorer": "rl_recsys.dual_embeddings.evaluation",
    "Popularity": "rl_recsys.dual_embeddings.baselines",
    "Queries": "rl_recsys.dual_embeddings.evaluation",
    "SGNSConfig": "rl_recsys.dual_embeddings.sgns",
    "TuningResult": "rl_recsys.dual_embeddings.tuning",
    "add_cold_items": "rl_recsys.dual_embeddings.cold_items",
    "compare": "rl_recsys.dual_embeddings.train",
    "embed_items": "rl_recsys.dual_embeddings.cold_items",
    "evaluate": "rl_recsys.dual_embeddings.evaluation",
    "hit_curve": "rl_recsys.dual_embeddings.evaluation",
    "item_counts": "rl_recsys.dual_embeddings.data",
    "item_texts": "rl_recsys.dual_embeddings.cold_items",
    "leave_one_out": "rl_recsys.dual_embeddings.evaluation",
    "load_baskets": "rl_recsys.dual_embeddings.data",
    "load_data": "rl_recsys.dual_embeddings.data",
    "load_groceries": "rl_recsys.dual_embeddings.data",
    "read_baskets": "rl_recsys.dual_embeddings.data",
    "read_transactions": "rl_recsys.dual_embeddings.data",
    "split_baskets": "rl_recsys.dual_embeddings.data",
    "synthetic_baskets": "rl_recsys.dual_embeddings.cold_items",
    "train_model": "rl_recsys.dual_embeddings.train",
    "train_word2vec": "rl_recsys.dual_embeddings.sgns",
    "tune": "rl_recsys.dual_embeddings.tuning",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
