"""rl-text: sentence embeddings and text models, one subpackage per paper.

Papers: ``matryoshka2d`` (2DMSE), ``dse``, ``kalm`` (KaLM-Embedding-V2 recipe), ``codiemb``,
``moe`` (contrastive mixture of experts), ``defsent`` (DefSent+), ``cvib``, ``pixel``,
``gfun``, ``binary_pv``, ``disambiguated_skipgram``, ``syntactic_domain``,
``lowrank_attention``; what several of them share is in ``rl_text.core`` (STS evaluation at
any depth × width, the training loop, model soups, retrieval tasks). The most used names are
re-exported here: :func:`evaluate_sts_grid`, :class:`Matryoshka2dLoss`, :func:`train_dse`,
:func:`train_kalm`, :func:`train_codiemb`, :func:`merge_models`, and the STS loaders of
:mod:`rl_shared.sts`.

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
    # shared by several papers (rl_text.core) and the STS data (rl_shared.sts)
    "encode_layers": "rl_text.core.layers",
    "truncate_layers": "rl_text.core.layers",
    "evaluate_sts": "rl_text.core.evaluation",
    "evaluate_sts_grid": "rl_text.core.evaluation",
    "fit": "rl_text.core.fit",
    "delta_fusion": "rl_text.core.soup",
    "merge_models": "rl_text.core.soup",
    "uniform_soup": "rl_text.core.soup",
    "StsPairs": "rl_shared.sts",
    "correlations": "rl_shared.sts",
    "load_sick": "rl_shared.sts",
    "load_sts_pairs": "rl_shared.sts",
    "load_stsb": "rl_shared.sts",
    # one paper each
    "Matryoshka2dLoss": "rl_text.matryoshka2d.losses",
    "train_sts": "rl_text.matryoshka2d.train",
    "DistilledSentenceEmbedding": "rl_text.dse.model",
    "train_dse": "rl_text.dse.train",
    "train_teacher": "rl_text.dse.train",
    "KalmRecipe": "rl_text.kalm.train",
    "train_kalm": "rl_text.kalm.train",
    "OrderAwareStsLoss": "rl_text.codiemb.losses",
    "TaskBatchSampler": "rl_text.codiemb.sampler",
    "train_codiemb": "rl_text.codiemb.train",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
