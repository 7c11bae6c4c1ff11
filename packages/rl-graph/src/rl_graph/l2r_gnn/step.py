"""One L2R-GNN training step's loss, shared by the training loop and its distributed test.

:class:`TapForward` makes the embedding and the logits of a graph classifier the output of
one module's forward pass (what DDP must see), and :func:`training_loss` turns a batch into
the mean (ERM) or reweighted (L2R-GNN) cross-entropy. :func:`rl_graph.l2r_gnn.train.train`
runs them through an ``accelerate.Accelerator``.

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.

Example:
    >>> from torch_geometric.loader import DataLoader
    >>> from rl_graph.core.models import GINClassifier
    >>> from rl_graph.l2r_gnn.motif import make_spurious_motif
    >>> from rl_shared.runtime import make_accelerator
    >>> gin = GINClassifier(1, 4, 3)
    >>> batch = next(iter(DataLoader(make_spurious_motif(6, seed=0), batch_size=6)))
    >>> loss, dep = training_loss(TapForward(gin, EmbeddingTap(gin)), batch, "erm", None,
    ...                           make_accelerator("cpu"))
    >>> loss.dim(), dep
    (0, None)
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from rl_graph.l2r_gnn.embedding import EmbeddingTap
from rl_graph.l2r_gnn.model import L2RReweighter

__all__ = ["TapForward", "training_loss"]


class TapForward(nn.Module):
    """``model`` seen through an :class:`EmbeddingTap`: ``forward(batch) -> (z, logits)``.

    What :func:`rl_graph.l2r_gnn.train.train` hands :meth:`accelerate.Accelerator.prepare`: under DDP the
    embedding and the logits must come from the wrapper's own forward pass (calling
    ``model.embed`` directly would bypass DDP's gradient synchronisation).

    Args:
        model: the graph classifier (a submodule: its parameters are the wrapper's).
        tap: an :class:`EmbeddingTap` on ``model``.

    Shapes:
        forward: a PyG ``Batch`` of ``B`` graphs -> ``([B, d] or None, [B, C])``.

    Example:
        >>> from rl_graph.core.models import GINClassifier
        >>> gin = GINClassifier(1, 4, 3)
        >>> TapForward(gin, EmbeddingTap(gin)).model is gin
        True
    """

    def __init__(self, model: nn.Module, tap: EmbeddingTap) -> None:
        super().__init__()
        self.model = model
        self._tap = tap

    def forward(self, batch: Any) -> tuple[torch.Tensor | None, torch.Tensor]:
        return self._tap(batch)


def training_loss(
    net: nn.Module, batch: Any, method: str, reweighter: L2RReweighter | None, acc: Any
) -> tuple[torch.Tensor, float | None]:
    """One batch's training loss: the mean (ERM) or reweighted (L2R) cross-entropy.

    For ``"l2r"`` the reweighter first records the batch's detached embedding and solves
    the inner problem on it (in fp32, outside autocast); the outer loss is
    ``mean(w * cross_entropy)``. A batch of one graph falls back to the mean.

    Args:
        net: a :class:`TapForward` (or the prepared, DDP-wrapped one).
        batch: a PyG ``Batch`` on ``acc.device``.
        method: ``"erm"`` or ``"l2r"``.
        reweighter: the :class:`~rl_graph.l2r_gnn.model.L2RReweighter` (``"l2r"``).
        acc: the ``accelerate.Accelerator`` (its ``autocast`` wraps the forward pass).

    Shapes:
        batch: ``B`` graphs -> loss: a scalar (the reweighter's weights are ``[B]``).

    Returns:
        ``(loss, dependence)``: the scalar loss and, when reweighted, the cross-cluster
        dependence under the learned weights (else ``None``).

    References:
        L2R-GNN, arXiv:2312.12475 (the weighted outer loss).

    Example:
        >>> from torch_geometric.loader import DataLoader
        >>> from rl_graph.core.models import GINClassifier
        >>> from rl_graph.l2r_gnn.motif import make_spurious_motif
        >>> from rl_shared.runtime import make_accelerator
        >>> gin = GINClassifier(1, 4, 3)
        >>> batch = next(iter(DataLoader(make_spurious_motif(8, seed=0), batch_size=8)))
        >>> loss, dep = training_loss(TapForward(gin, EmbeddingTap(gin)), batch, "l2r",
        ...                           L2RReweighter(inner_steps=2), make_accelerator("cpu"))
        >>> loss.dim(), dep >= 0
        (0, True)
    """
    with acc.autocast():
        z, logits = net(batch)
        per_graph = F.cross_entropy(logits.float(), batch.y.view(-1).long(), reduction="none")
    if method == "l2r" and z is not None and z.shape[0] > 1:
        assert reweighter is not None
        detached = z.detach().float()
        reweighter.observe(detached)
        weights = reweighter(detached)
        return (weights * per_graph).mean(), reweighter.last_dependence
    return per_graph.mean(), None
