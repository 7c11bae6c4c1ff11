"""DSE: distil a cross-encoder into a bi-encoder with a pair head.

The teacher (a sentence-transformers ``CrossEncoder``) reads both sentences together; the
student embeds each sentence once, and a small head over ``[u, v, u⊙v, |u−v|]`` regresses
``(1 − α)·gold + α·teacher`` scores, so candidates can be embedded ahead of time.

References:
    Barkan et al., "Scalable Attentive Sentence-Pair Modeling via Distilled Sentence
    Embedding", AAAI 2020, arXiv:1908.05161.

Example:
    >>> import torch
    >>> from rl_text.dse import PairHead
    >>> PairHead(8, hidden=16)(torch.randn(3, 8), torch.randn(3, 8)).shape
    torch.Size([3])
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "DistilledPairLoss": "rl_text.dse.losses",
    "DistilledSentenceEmbedding": "rl_text.dse.model",
    "PairHead": "rl_text.dse.model",
    "teacher_scores": "rl_text.dse.train",
    "train_dse": "rl_text.dse.train",
    "train_teacher": "rl_text.dse.train",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
