"""2D Matryoshka Sentence Embeddings (2DMSE): train every depth and width with one forward pass.

:class:`Matryoshka2dLoss` wraps an inner loss (CoSENT, InfoNCE, ...) so that the last layer
is trained at every Matryoshka width and one sampled shallow layer at the full and a sampled
width, aligned to the last layer by an in-batch KL term. :func:`train_sts` trains a model on
STS pairs with it, or with sentence-transformers' ``Matryoshka2dLoss`` / ``MatryoshkaLoss``
or CoSENT alone (the comparison regimes of the ``text.2dmse`` reproduction).

References:
    Li et al., "2D Matryoshka Sentence Embeddings", arXiv:2402.14776.

Example:
    >>> from rl_text.matryoshka2d import LOSSES
    >>> LOSSES
    ('ours', 'sentence-transformers', 'matryoshka', 'cosent')
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "LOSSES": "rl_text.matryoshka2d.train",
    "Matryoshka2dLoss": "rl_text.matryoshka2d.losses",
    "in_batch_kl": "rl_text.matryoshka2d.losses",
    "make_loss": "rl_text.matryoshka2d.train",
    "merge_columns": "rl_text.matryoshka2d.losses",
    "train_sts": "rl_text.matryoshka2d.train",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
