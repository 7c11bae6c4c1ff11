"""Self-pruning contrastive loss of CVIB, defined relative to its minimum.

For a batch of original representations ``h_i`` and self-pruned representations ``p_i``
(``s_ij = cos(h_i, p_j)``, temperature ``τ``), InfoNCE with in-batch negatives is
``L_i = -log(e^{s_ii/τ} / Σ_j e^{s_ij/τ})``. With the negatives held fixed its minimum over
the positive similarity is reached at ``s_ii = 1``; we report the *excess* over that minimum::

    ℓ_i = log(1 + Σ_{j≠i} e^{(s_ij − s_ii)/τ}) − log(1 + Σ_{j≠i} e^{(s_ij − 1)/τ})

``ℓ_i ≥ 0``, with equality exactly when ``p_i`` points the same way as ``h_i``; so the term is
zero for identical representations. Its gradient pulls ``p_i`` towards ``h_i`` and pushes the
other sentences ``p_j`` away from ``h_i`` (with a weight that vanishes as the pair aligns).
The loss is symmetrised over the two directions ``h → p`` and ``p → h``.

References:
    CVIB (self-pruning contrastive learning); van den Oord et al., arXiv:1807.03748 (InfoNCE).

Example:
    >>> import torch
    >>> h = torch.randn(4, 8)
    >>> float(self_pruning_contrastive_loss(h, h.clone())) < 1e-6
    True
    >>> float(self_pruning_contrastive_loss(h, h.roll(1, 0))) > 0
    True
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from rl_shared.errors import BadInput, ShapeMismatch

__all__ = ["self_pruning_contrastive_loss"]


def _excess(sim: Tensor, temperature: float) -> Tensor:
    n = sim.shape[0]
    pos = sim.diagonal()
    off = ~torch.eye(n, dtype=torch.bool, device=sim.device)
    neg = sim[off].view(n, n - 1)
    zero = sim.new_zeros(n, 1)
    actual = torch.logsumexp(torch.cat([zero, (neg - pos[:, None]) / temperature], 1), 1)
    best = torch.logsumexp(torch.cat([zero, (neg - 1.0) / temperature], 1), 1)
    return (actual - best).clamp_min(0.0)


def self_pruning_contrastive_loss(
    original: Tensor, pruned: Tensor, temperature: float = 0.1
) -> Tensor:
    """Symmetric InfoNCE excess over its minimum between original and pruned representations.

    Args:
        original: representations from the original network.
        pruned: representations of the same sentences from the self-pruned network.
        temperature: softmax temperature ``τ``.

    Shapes:
        original, pruned ``(B, D)`` -> scalar.

    Example:
        >>> import torch
        >>> h = torch.randn(4, 8)
        >>> float(self_pruning_contrastive_loss(h, h.clone())) < 1e-6
        True
    """
    if original.shape != pruned.shape or original.dim() != 2:
        raise ShapeMismatch(
            f"original and pruned must both be (batch, dim); got {tuple(original.shape)} and "
            f"{tuple(pruned.shape)}"
        )
    if temperature <= 0:
        raise BadInput(f"temperature must be positive, got {temperature}")
    if original.shape[0] < 2:
        return (1 - F.cosine_similarity(original, pruned)).mean()
    sim = F.normalize(original, dim=-1) @ F.normalize(pruned, dim=-1).T
    # cosine of a vector with itself is 1 up to rounding; snap to keep the identical case at 0
    sim = sim.clamp(-1.0, 1.0)
    return 0.5 * (_excess(sim, temperature) + _excess(sim.T, temperature)).mean()
