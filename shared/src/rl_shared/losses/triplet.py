"""Triplet loss on similarity queries ("is A closer to B or to C?"), as SIRL learns from.

A similarity query holds an anchor and two items, labelled by which is more similar to the
anchor. ``margin > 0`` gives the hinge ``max(0, d(a, p) - d(a, n) + margin)``;
``margin = 0`` gives the soft (logistic) form ``softplus(d(a, p) - d(a, n))``, the
Bradley-Terry likelihood of the answer, which SIRL uses.

References:
    Schroff et al., "FaceNet", arXiv:1503.03832. Bobu et al., "SIRL: Similarity-based Implicit
    Representation Learning", HRI 2023, arXiv:2301.00810.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput
from rl_shared.losses._common import check_finite, check_rows, embed

__all__ = ["TripletLoss", "triplet_loss"]

CITATION = """@inproceedings{bobu2023sirl,
  title={SIRL: Similarity-based Implicit Representation Learning},
  author={Bobu, Andreea and Liu, Yi and Shah, Rohin and Brown, Daniel S. and Dragan, Anca D.},
  booktitle={HRI},
  year={2023}
}"""


def triplet_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    *,
    margin: float = 0.0,
    distance: str = "euclidean",
) -> Tensor:
    """Loss of a batch of similarity queries whose answer is "positive is closer".

    Args:
        anchor, positive, negative: embeddings of the query's three items.
        margin: hinge margin; 0 uses the soft (logistic) form.
        distance: ``"euclidean"``, ``"squared"`` or ``"cosine"`` (``1 - cos``).

    Shapes:
        ``(B, D)`` each -> scalar.

    Example:
        >>> import torch
        >>> a = torch.zeros(2, 3)
        >>> float(triplet_loss(a, a, a + 10, margin=1.0))
        0.0
    """
    check_rows("triplet_loss", anchor=anchor, positive=positive, negative=negative)
    check_finite("triplet_loss", anchor, positive, negative)
    if margin < 0:
        raise BadInput(f"margin must be non-negative, got {margin}")
    d_pos, d_neg = _distance(anchor, positive, distance), _distance(anchor, negative, distance)
    gap = d_pos - d_neg
    return (torch.relu(gap + margin) if margin > 0 else torch.nn.functional.softplus(gap)).mean()


def _distance(a: Tensor, b: Tensor, kind: str) -> Tensor:
    if kind == "euclidean":
        return torch.linalg.vector_norm(a - b, dim=-1)
    if kind == "squared":
        return (a - b).pow(2).sum(-1)
    if kind == "cosine":
        return 1 - torch.nn.functional.cosine_similarity(a, b, dim=-1)
    raise BadInput(f"distance must be 'euclidean', 'squared' or 'cosine', got {kind!r}")


class TripletLoss(nn.Module):
    """Triplet loss for sentence-transformers: columns ``(anchor, positive, negative)``.

    Args:
        model: a ``SentenceTransformer`` or any module returning ``sentence_embedding``.
        margin: hinge margin (0: soft form).
        distance: ``"euclidean"``, ``"squared"`` or ``"cosine"``.

    Shapes:
        - sentence_features: three tokenised columns (anchor, positive, negative), each
          embedded to (B, D)
        - labels: ignored (any shape, or ``None``)
        - output: scalar

    References:
        Schroff et al., arXiv:1503.03832; Bobu et al., arXiv:2301.00810.

    Example:
        >>> loss = TripletLoss(model, margin=5.0)  # doctest: +SKIP
    """

    def __init__(self, model: nn.Module, margin: float = 5.0, distance: str = "euclidean") -> None:
        super().__init__()
        self.model, self.margin, self.distance = model, margin, distance

    def forward(
        self, sentence_features: Iterable[dict[str, Tensor]], labels: Tensor | None = None
    ) -> Tensor:
        anchor, positive, negative = embed(self.model, sentence_features)
        return triplet_loss(anchor, positive, negative, margin=self.margin, distance=self.distance)

    @property
    def citation(self) -> str:
        return CITATION
