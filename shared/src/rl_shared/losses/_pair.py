"""Base of the losses that score sentence pairs by cosine similarity against a label per pair.

References:
    Zhang et al., "CoDiEmb: A Collaborative yet Distinct Framework for Unified Representation
    Learning in Information Retrieval and Semantic Textual Similarity", arXiv 2025 (the STS
    pair losses built on :class:`PairScoreLoss`). https://arxiv.org/abs/2508.11442
    Barkan et al., "Scalable Attentive Sentence-Pair Modeling via Distilled Sentence
    Embedding", AAAI 2020 (pair-score distillation). https://arxiv.org/abs/1908.05161
"""

from __future__ import annotations

import abc
from collections.abc import Iterable

import torch
from torch import Tensor, nn

from rl_shared.errors import ShapeMismatch
from rl_shared.losses._common import check_finite, check_rows, embed

__all__ = ["PairScoreLoss", "pair_scores"]


def pair_scores(u: Tensor, v: Tensor) -> Tensor:
    """Cosine similarity of matching rows: ``(B, D), (B, D) -> (B,)``.

    Args:
        u: the first sentence of each pair.
        v: the second sentence of each pair.

    Shapes:
        u, v ``(B, D)`` -> ``(B,)``.

    Raises:
        ShapeMismatch: ``u`` and ``v`` have different numbers of rows.

    Example:
        >>> import torch
        >>> pair_scores(torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.tensor([[1.0, 0.0], [1.0, 0.0]]))
        tensor([1., 0.])
    """
    check_rows("pair_scores", u=u, v=v)
    return torch.nn.functional.cosine_similarity(u, v, dim=-1)


def check_scores_labels(name: str, scores: Tensor, labels: Tensor) -> Tensor:
    """Labels must hold one finite number per score; return them flattened as floats."""
    if labels.numel() != scores.numel():
        raise ShapeMismatch(
            f"{name} needs one label per pair: got {labels.numel()} labels for {scores.numel()} pairs"
        )
    check_finite(name, scores, labels)
    return labels.reshape(scores.shape).to(scores.dtype)


class PairScoreLoss(nn.Module, metaclass=abc.ABCMeta):
    """Embeds two columns ``(sentence1, sentence2)`` and applies ``self.loss_fn(scores, labels)``.

    A subclass implements :meth:`loss_fn` on the pair scores (cosine similarities, see
    :func:`pair_scores`); ``forward`` takes sentence-transformers features and labels, as
    a ``SentenceTransformerTrainer`` loss does.

    Args:
        model: a sentence-transformers model (or any module whose output dict holds
            ``"sentence_embedding"``).

    Shapes:
        embeddings two ``(B, D)`` tensors, labels ``(B,)`` -> scalar loss.

    Example:
        >>> import torch
        >>> class MSEPairLoss(PairScoreLoss):
        ...     def loss_fn(self, scores, labels):
        ...         return torch.mean((scores - labels) ** 2)
        >>> loss = MSEPairLoss(torch.nn.Identity())
        >>> u, v = torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.tensor([[1.0, 0.0], [1.0, 0.0]])
        >>> loss.compute_loss_from_embeddings([u, v], torch.tensor([1.0, 1.0]))
        tensor(0.5000)
    """

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    @abc.abstractmethod
    def loss_fn(self, scores: Tensor, labels: Tensor) -> Tensor:
        """The loss of predicted pair scores against the labels."""

    def forward(self, sentence_features: Iterable[dict[str, Tensor]], labels: Tensor) -> Tensor:
        return self.compute_loss_from_embeddings(embed(self.model, sentence_features), labels)

    def compute_loss_from_embeddings(self, embeddings: list[Tensor], labels: Tensor) -> Tensor:
        if len(embeddings) != 2:
            raise ShapeMismatch(
                f"{type(self).__name__} needs two text columns, got {len(embeddings)}"
            )
        return self.loss_fn(pair_scores(embeddings[0], embeddings[1]), labels)
