"""The KaLM-Embedding-V2 training recipe as switches of one contrastive trainer.

Pooling, hard negatives mined with a false-negative margin, focal reweighting, online
hard-negative mixing and a soup of the last checkpoints (:class:`KalmRecipe`), trained by
:func:`train_kalm` through ``SentenceTransformerTrainer``, negatives gathered across
``torch.distributed`` ranks.

References:
    Zhao et al., "KaLM-Embedding-V2: Superior Training Techniques and Data Inspire A Versatile
    Embedding Model", arXiv:2506.20923.

Example:
    >>> from rl_text.kalm import KalmRecipe
    >>> KalmRecipe(focal_gamma=0.0, mixed_negatives=0).loss_name()
    'info-nce'
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "POOLINGS": "rl_text.kalm.train",
    "KalmRecipe": "rl_text.kalm.train",
    "make_kalm_loss": "rl_text.kalm.train",
    "set_pooling": "rl_text.kalm.train",
    "train_kalm": "rl_text.kalm.train",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
