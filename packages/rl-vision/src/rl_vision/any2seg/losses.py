"""LSCD, language-guided semantic correlation distillation of Any2Seg.

Embeddings of each modality (student and teacher alike, ``(B, D, h, w)``) are turned into
*text-guided semantic distributions*: at every position, the softmax over classes of the
cosine similarity with the class-prompt text embeddings ``T`` (``(K, D)``),
``P_m = softmax(cos(E_m, T) / tau)`` (``(B, N, K)``, ``N = h * w`` after pooling to at
most ``grid x grid``). Semantic correlations compare those distributions between
positions:

* intra-modal: ``S_mm = norm(P_m) norm(P_m)^T`` (``N x N``), the semantic structure
  within one modality;
* inter-modal: ``S_mn = norm(P_m) norm(P_n)^T`` for ``m != n``, how the semantics of one
  modality line up with another's, position by position.

The loss is ``alpha * mean_m ||S_mm^s - S_mm^t||^2 + beta * mean_{m<n} ||S_mn^s - S_mn^t||^2``
(mean squared error over the matrix entries). It is zero exactly when the student's
correlations equal the teacher's — whatever the scale of the embeddings — so it
transfers the teacher's language-anchored semantic structure, not its features.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation
    from Any Modalities" (Any2Seg), ECCV 2024, arXiv:2407.11351.

Example:
    >>> import torch
    >>> g = torch.Generator().manual_seed(0)
    >>> text = torch.randn(5, 16, generator=g)
    >>> emb = {"rgb": torch.randn(2, 16, 4, 4, generator=g), "depth": torch.randn(2, 16, 4, 4, generator=g)}
    >>> float(lscd_loss(emb, emb, text))
    0.0
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rl_shared.errors import BadInput, ShapeMismatch

__all__ = [
    "IGNORE_INDEX",
    "LSCDLoss",
    "lscd_loss",
    "segmentation_loss",
    "semantic_correlation",
    "semantic_distribution",
]

#: label value of void pixels (DELIVER, MCubeS); ignored by the loss and the metrics
IGNORE_INDEX = 255


def semantic_distribution(
    embedding: Tensor, text: Tensor, *, temperature: float = 0.1, grid: int = 8
) -> Tensor:
    """Text-guided class distribution at each position.

    ``softmax(cos(E, T) / temperature)`` over the classes, after average-pooling the
    embedding to at most ``grid x grid`` positions.

    Args:
        embedding: per-position embeddings in the text space.
        text: class-prompt text embeddings.
        temperature: softmax temperature.
        grid: positions are average-pooled to at most ``grid x grid``.

    Raises:
        ShapeMismatch: wrong ranks, or embedding and text widths differ.

    Shapes:
        embedding ``(B, D, h, w)``, text ``(K, D)`` -> ``(B, N, K)``, ``N <= grid**2``.

    References:
        Zheng et al., Any2Seg, ECCV 2024, arXiv:2407.11351 (LSCD).

    Example:
        >>> p = semantic_distribution(torch.randn(2, 4, 16, 16), torch.randn(3, 4), grid=8)
        >>> tuple(p.shape), torch.allclose(p.sum(-1), torch.ones(2, 64))
        ((2, 64, 3), True)
    """
    if embedding.dim() != 4 or text.dim() != 2 or embedding.shape[1] != text.shape[1]:
        raise ShapeMismatch(
            f"embedding (B, D, h, w) and text (K, D) must share D; got "
            f"{tuple(embedding.shape)} and {tuple(text.shape)}"
        )
    if embedding.shape[-2] > grid or embedding.shape[-1] > grid:
        embedding = F.adaptive_avg_pool2d(
            embedding, (min(grid, embedding.shape[-2]), min(grid, embedding.shape[-1]))
        )
    e = F.normalize(embedding.flatten(2).transpose(1, 2), dim=-1)
    t = F.normalize(text, dim=-1)
    return torch.softmax(e @ t.T / temperature, dim=-1)


def semantic_correlation(p: Tensor, q: Tensor) -> Tensor:
    """Cosine correlation between the positions of two semantic distributions.

    Args:
        p: distributions of one modality (rows are positions).
        q: distributions of the same or another modality, at the same positions.

    Shapes:
        ``(B, N, K)``, ``(B, N, K)`` -> ``(B, N, N)``.

    References:
        Zheng et al., Any2Seg, ECCV 2024, arXiv:2407.11351 (intra- and inter-modal
        semantic correlation of LSCD).

    Example:
        >>> p = torch.tensor([[[1.0, 0.0], [0.0, 1.0]]])
        >>> semantic_correlation(p, p).tolist()
        [[[1.0, 0.0], [0.0, 1.0]]]
    """
    return F.normalize(p, dim=-1) @ F.normalize(q, dim=-1).transpose(1, 2)


def lscd_loss(
    student: Mapping[str, Tensor],
    teacher: Mapping[str, Tensor],
    text: Tensor,
    *,
    alpha: float = 1.0,
    beta: float = 1.0,
    temperature: float = 0.1,
    grid: int = 8,
) -> Tensor:
    """LSCD between per-modality student and teacher embeddings.

    Args:
        student: modality -> student embedding ``(B, D, h, w)`` (already in the text space).
        teacher: modality -> teacher embedding ``(B, D', h', w')``; must cover the student's
            modalities. ``D'`` must equal ``text``'s width; ``h', w'`` are pooled to the grid.
        text: class-prompt text embeddings ``(K, D)``.
        alpha: weight of the intra-modal term.
        beta: weight of the inter-modal term (used when two or more modalities are present).
        temperature: softmax temperature of the text-guided distributions.
        grid: positions are average-pooled to at most ``grid x grid``.

    Shapes:
        - student: ``{m: (B, D, h, w)}``
        - teacher: ``{m: (B, D, h', w')}`` for (at least) the student's modalities
        - text: (K, D)
        - output: scalar
    """
    missing = [m for m in student if m not in teacher]
    if missing:
        raise BadInput(f"the teacher gave no embedding for modalities {missing}")
    names = sorted(student)
    ps = {
        m: semantic_distribution(student[m], text, temperature=temperature, grid=grid)
        for m in names
    }
    pt = {
        m: semantic_distribution(teacher[m], text, temperature=temperature, grid=grid)
        for m in names
    }
    for m in names:
        if ps[m].shape != pt[m].shape:
            # bring the teacher to the student's grid
            h, w = student[m].shape[-2:]
            pooled = F.adaptive_avg_pool2d(teacher[m], (min(h, grid), min(w, grid)))
            pt[m] = semantic_distribution(pooled, text, temperature=temperature, grid=grid)
    intra = torch.stack(
        [
            F.mse_loss(semantic_correlation(ps[m], ps[m]), semantic_correlation(pt[m], pt[m]))
            for m in names
        ]
    ).mean()
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]
    if not pairs:
        return alpha * intra
    inter = torch.stack(
        [
            F.mse_loss(semantic_correlation(ps[a], ps[b]), semantic_correlation(pt[a], pt[b]))
            for a, b in pairs
        ]
    ).mean()
    return alpha * intra + beta * inter


class LSCDLoss(nn.Module):
    """:func:`lscd_loss` with fixed text embeddings and weights.

    Args:
        text: class-prompt text embeddings ``(K, D)`` (a buffer, not trained).
        alpha, beta, temperature, grid: see :func:`lscd_loss`.

    Shapes:
        - text: (K, D)
        - student: ``{m: (B, D, h, w)}``
        - teacher: ``{m: (B, D, h', w')}`` for (at least) the student's modalities
        - output: scalar

    Example:
        >>> import torch
        >>> loss = LSCDLoss(torch.eye(3))
        >>> s = {"rgb": torch.randn(1, 3, 2, 2, requires_grad=True)}
        >>> t = {"rgb": torch.randn(1, 3, 2, 2)}
        >>> loss(s, t).backward(); s["rgb"].grad.shape
        torch.Size([1, 3, 2, 2])
    """

    text: Tensor  # buffer registered in __init__

    def __init__(
        self,
        text: Tensor,
        alpha: float = 1.0,
        beta: float = 1.0,
        temperature: float = 0.1,
        grid: int = 8,
    ) -> None:
        super().__init__()
        self.register_buffer("text", text.detach().clone().float())
        self.alpha, self.beta, self.temperature, self.grid = alpha, beta, temperature, grid

    def forward(self, student: Mapping[str, Tensor], teacher: Mapping[str, Tensor]) -> Tensor:
        return lscd_loss(
            student,
            teacher,
            self.text,
            alpha=self.alpha,
            beta=self.beta,
            temperature=self.temperature,
            grid=self.grid,
        )


def segmentation_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Any2Seg's segmentation loss: cross-entropy over the labelled pixels (void = :data:`IGNORE_INDEX` left out).

    A batch without a labelled pixel gives a zero loss (not NaN), where
    ``torch.nn.functional.cross_entropy`` with ``ignore_index`` alone gives NaN.

    Args:
        logits: class scores.
        labels: class ids, :data:`IGNORE_INDEX` for void.

    Shapes:
        logits ``(B, K, H, W)``, labels ``(B, H, W)`` -> scalar.

    References:
        Zheng et al., Any2Seg, ECCV 2024, arXiv:2407.11351.

    Example:
        >>> logits = torch.zeros(1, 2, 1, 2)
        >>> round(float(segmentation_loss(logits, torch.tensor([[[0, IGNORE_INDEX]]]))), 4)
        0.6931
        >>> float(segmentation_loss(logits, torch.full((1, 1, 2), IGNORE_INDEX)))
        0.0
    """
    if not bool((labels != IGNORE_INDEX).any()):
        return logits.sum() * 0.0
    return F.cross_entropy(logits, labels, ignore_index=IGNORE_INDEX)
