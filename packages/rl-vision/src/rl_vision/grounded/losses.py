"""Hinge-based contrastive loss of visual-semantic embeddings (both retrieval directions).

For a batch of matching image/caption pairs with similarity matrix ``S = I C^T`` (unit
vectors), every mismatched pair costs ``max(0, margin - S_ii + S_ij)`` for image
``i`` -> caption ``j`` and ``max(0, margin - S_ii + S_ji)`` for caption ``i`` -> image
``j``; the loss averages over pairs. This is the loss Merkx & Frank train with.

References:
    Merkx & Frank, arXiv:1903.11393; Kiros et al., "Unifying visual-semantic embeddings
    with multimodal neural language models", arXiv:1411.2539.

Example:
    >>> import torch
    >>> x = torch.eye(3)
    >>> float(hinge_contrastive(x, x, margin=0.2))
    0.0
"""

from __future__ import annotations

import torch
from torch import Tensor

from rl_shared.errors import BadInput, ShapeMismatch

__all__ = ["hinge_contrastive"]


def hinge_contrastive(images: Tensor, captions: Tensor, *, margin: float = 0.2) -> Tensor:
    """Mean hinge loss over all mismatched pairs in both directions.

    Args:
        images: image embeddings (unit vectors).
        captions: caption embeddings; row ``i`` matches image ``i``.
        margin: how much more similar a matching pair must be than a mismatched one.

    Raises:
        ShapeMismatch: the two are not both ``(B, D)`` of the same shape.
        BadInput: fewer than two pairs.

    Shapes:
        images ``(B, D)``, captions ``(B, D)`` (row ``i`` of each match) -> scalar.
    """
    if images.shape != captions.shape or images.dim() != 2:
        raise ShapeMismatch(
            f"images and captions must both be (B, D); got {tuple(images.shape)} and {tuple(captions.shape)}"
        )
    if images.shape[0] < 2:
        raise BadInput("the hinge contrastive loss needs at least two pairs per batch")
    s = images @ captions.T
    pos = s.diag()
    off = ~torch.eye(len(s), dtype=torch.bool, device=s.device)
    cost_i2c = (margin - pos[:, None] + s).clamp(min=0)[off]
    cost_c2i = (margin - pos[None, :] + s).clamp(min=0)[off]
    return (cost_i2c.sum() + cost_c2i.sum()) / (2 * off.sum())
