"""What several rl-text papers share: layer-wise encoding, STS evaluation, the training loop.

* :mod:`rl_text.core.layers`: embeddings of the first ``L`` layers, all in one forward pass;
* :mod:`rl_text.core.evaluation`: STS Spearman / Pearson at any depth × width
  (correlations and STS loading come from :mod:`rl_shared.sts`);
* :mod:`rl_text.core.fit`: :func:`~rl_text.core.fit.fit`, one resumable ``SentenceTransformerTrainer`` loop for every method;
* :mod:`rl_text.core.soup`: uniform model soup and delta-guided fusion (KaLM, CoDiEmb);
* :mod:`rl_text.core.tasks`: positive pairs, the Cranfield split, hard-negative mining;
* :mod:`rl_text.core.joint`: the data and scores the KaLM and CoDiEmb reproductions share;
* :mod:`rl_text.core.loading`: load model folders whose modules are classes of this package.

Names are imported on first use.

Example:
    >>> from rl_text.core import subsample
    >>> subsample.__module__
    'rl_text.core.evaluation'
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "encode_layers": "rl_text.core.layers",
    "truncate_layers": "rl_text.core.layers",
    "evaluate_sts": "rl_text.core.evaluation",
    "evaluate_sts_grid": "rl_text.core.evaluation",
    "subsample": "rl_text.core.evaluation",
    "delta_fusion": "rl_text.core.soup",
    "merge_models": "rl_text.core.soup",
    "uniform_soup": "rl_text.core.soup",
    "Examples": "rl_text.core.tasks",
    "cranfield_split": "rl_text.core.tasks",
    "mine_negatives": "rl_text.core.tasks",
    "load_with_classes": "rl_text.core.loading",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
