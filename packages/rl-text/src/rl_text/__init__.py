"""rl-text: sentence embeddings on sentence-transformers.

STS evaluation at any depth × width (:func:`evaluate_sts`, :func:`evaluate_sts_grid`),
loaders for STS-B, SICK and any pair file, and training methods that all go through
``SentenceTransformerTrainer``: 2D Matryoshka (:class:`Matryoshka2dLoss`), DSE
(:func:`train_dse`), the KaLM-Embedding-V2 recipe (:func:`train_kalm`), CoDiEmb
(:func:`train_codiemb`) with delta-guided fusion (:func:`merge_models`).

Names are imported on first use, so ``import rl_text`` (and the ``rl`` command listing its
plugins) does not load torch.

Example:
    >>> from rl_text import StsPairs
    >>> len(StsPairs(["a"], ["b"], [1.0]))
    1
"""

from __future__ import annotations

from rl_shared.lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    "correlations": "rl_text.evaluation",
    "evaluate_sts": "rl_text.evaluation",
    "evaluate_sts_grid": "rl_text.evaluation",
    "encode_layers": "rl_text.layers",
    "truncate_layers": "rl_text.layers",
    "Matryoshka2dLoss": "rl_text.matryoshka2d",
    "StsPairs": "rl_text.sts",
    "load_sick": "rl_text.sts",
    "load_sts_pairs": "rl_text.sts",
    "load_stsb": "rl_text.sts",
    "train_sts": "rl_text.train",
    "fit": "rl_text.fit",
    "DistilledSentenceEmbedding": "rl_text.dse",
    "train_dse": "rl_text.dse",
    "train_teacher": "rl_text.dse",
    "KalmRecipe": "rl_text.kalm",
    "train_kalm": "rl_text.kalm",
    "OrderAwareStsLoss": "rl_text.codiemb",
    "TaskBatchSampler": "rl_text.codiemb",
    "train_codiemb": "rl_text.codiemb",
    "delta_fusion": "rl_text.soup",
    "merge_models": "rl_text.soup",
    "uniform_soup": "rl_text.soup",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
