"""InfoNCE / multiple-negatives ranking with several positives, hard negatives and a temperature.

For each anchor the candidates are every positive and every hard negative in the batch
(optionally gathered across ``torch.distributed`` ranks); the loss is the cross-entropy of
picking each of the anchor's own positives, with the anchor's other positives left out of
that positive's softmax. With one positive per anchor this is exactly
sentence-transformers' ``MultipleNegativesRankingLoss`` with ``scale = 1 / temperature``.

What it adds to sentence-transformers: several positives per anchor, per-anchor extra
negative logits (used by :mod:`rl_shared.losses.hard_negative_mixing`) and per-pair losses
(``reduction="none"``, used by :mod:`rl_shared.losses.focal`).

References:
    van den Oord et al., "Representation Learning with Contrastive Predictive Coding",
    arXiv:1807.03748. Henderson et al., "Efficient Natural Language Response Suggestion
    for Smart Reply", arXiv:1705.00652.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput, ShapeMismatch
from rl_shared.losses._common import check_finite, check_rows, cos_sim, embed
from rl_shared.losses.distributed import gather_with_grad

__all__ = ["InfoNCELoss", "info_nce", "info_nce_from_logits", "info_nce_logits"]

CITATION = """@article{oord2018representation,
  title={Representation Learning with Contrastive Predictive Coding},
  author={van den Oord, Aaron and Li, Yazhe and Vinyals, Oriol},
  journal={arXiv preprint arXiv:1807.03748},
  year={2018}
}"""


def info_nce_logits(
    anchors: Tensor,
    positives: Tensor,
    negatives: Tensor | None = None,
    *,
    temperature: float = 0.05,
    gather_across_ranks: bool = False,
) -> tuple[Tensor, Tensor, Tensor]:
    """Scaled similarities of each anchor with every candidate.

    The candidates are every anchor's positive column ``p`` in turn, then every negative
    column (the order of sentence-transformers' ``MultipleNegativesRankingLoss``).

    Args:
        anchors: query embeddings.
        positives: one or ``P`` positives per anchor.
        negatives: optional ``N`` hard negatives per anchor, shared with the whole batch.
        temperature: softmax temperature on cosine similarity (0.05 = scale 20).
        gather_across_ranks: use every ``torch.distributed`` rank's candidates as negatives.

    Shapes:
        anchors ``(B, D)``; positives ``(B, D)`` or ``(B, P, D)``; negatives ``(B, D)`` or
        ``(B, N, D)``; see Returns (``C = world * B * (P + N)``).

    Raises:
        BadInput: a temperature that is not positive.
        ShapeMismatch: inputs of the wrong rank, batch size or embedding size.
        NonFiniteLoss: an input holds NaN or infinity.

    References:
        van den Oord et al., "Representation Learning with Contrastive Predictive Coding",
        arXiv:1807.03748.

    Example:
        >>> import torch
        >>> a, p, n = torch.randn(3, 8), torch.randn(3, 2, 8), torch.randn(3, 8)
        >>> logits, own, candidates = info_nce_logits(a, p, n, temperature=0.1)
        >>> tuple(logits.shape), own.tolist(), tuple(candidates.shape)
        ((3, 9), [[0, 3], [1, 4], [2, 5]], (9, 8))

    Returns:
        ``(logits, own, candidates)``: ``logits`` ``(B, C)`` of each anchor against every
        candidate; ``own`` ``(B, P)`` the columns of the anchor's own positives;
        ``candidates`` ``(C, D)`` the (gathered) candidate rows.
    """
    if temperature <= 0:
        raise BadInput(f"temperature must be positive, got {temperature}")
    if positives.dim() == 2:
        positives = positives.unsqueeze(1)
    if negatives is not None and negatives.dim() == 2:
        negatives = negatives.unsqueeze(1)
    if (
        anchors.dim() != 2
        or positives.dim() != 3
        or (negatives is not None and negatives.dim() != 3)
    ):
        raise ShapeMismatch(
            "info_nce expects anchors (B, D), positives (B, D) or (B, P, D), negatives (B, D) or (B, N, D)"
        )
    check_rows("info_nce", anchors=anchors, positives=positives, negatives=negatives)
    dims = {anchors.shape[-1], positives.shape[-1]} | (
        {negatives.shape[-1]} if negatives is not None else set()
    )
    if len(dims) > 1:
        raise ShapeMismatch(
            f"info_nce needs one embedding size for all inputs, got sizes {sorted(dims)}"
        )
    check_finite("info_nce", anchors, positives, negatives)
    batch, n_pos, _ = positives.shape
    offset = 0
    if gather_across_ranks:
        positives, offset = gather_with_grad(positives)
        if negatives is not None:
            negatives, _ = gather_with_grad(negatives)
    total = positives.shape[0]
    # candidate order: positive column p of every anchor, then negative column n (as ST's cat)
    columns = [positives[:, p] for p in range(n_pos)]
    if negatives is not None:
        columns += [negatives[:, n] for n in range(negatives.shape[1])]
    candidates = torch.cat(columns, dim=0)
    logits = cos_sim(anchors, candidates) / temperature  # (B, C)
    rows = torch.arange(batch, device=anchors.device)
    own = torch.stack([p * total + offset + rows for p in range(n_pos)], dim=1)  # (B, P)
    return logits, own, candidates


def info_nce(
    anchors: Tensor,
    positives: Tensor,
    negatives: Tensor | None = None,
    *,
    temperature: float = 0.05,
    gather_across_ranks: bool = False,
    extra_logits: Tensor | None = None,
    reduction: str = "mean",
) -> Tensor:
    """InfoNCE with in-batch negatives, hard negatives and several positives.

    Args:
        anchors: query embeddings.
        positives: one or ``P`` positives per anchor.
        negatives: optional ``N`` hard negatives per anchor, shared with the whole batch.
        temperature: softmax temperature on cosine similarity (0.05 = scale 20).
        gather_across_ranks: use every ``torch.distributed`` rank's candidates as negatives.
        extra_logits: ``(B, M)`` further negative logits per anchor, already scaled.
        reduction: ``"mean"`` or ``"none"`` (``(B, P)`` per-pair losses).

    Shapes:
        anchors ``(B, D)``; positives ``(B, D)`` or ``(B, P, D)``; negatives ``(B, D)`` or
        ``(B, N, D)``; returns a scalar or ``(B, P)``.

    Example:
        >>> import torch
        >>> torch.manual_seed(0) and None
        >>> a, p = torch.randn(8, 16), torch.randn(8, 16)
        >>> round(float(info_nce(a, a + 0.01 * p)), 4) < round(float(info_nce(a, p)), 4)
        True
    """
    logits, own, _ = info_nce_logits(
        anchors,
        positives,
        negatives,
        temperature=temperature,
        gather_across_ranks=gather_across_ranks,
    )
    return info_nce_from_logits(logits, own, extra_logits, reduction=reduction)


def info_nce_from_logits(
    logits: Tensor, own: Tensor, extra_logits: Tensor | None = None, *, reduction: str = "mean"
) -> Tensor:
    """The InfoNCE cross-entropy from the logits :func:`info_nce_logits` returns.

    Each positive competes with every candidate except the anchor's other positives; with one
    positive per anchor this is a plain (fused) cross-entropy.

    Args:
        logits: each anchor's scaled similarity to every candidate.
        own: the columns of each anchor's own positives in ``logits``.
        extra_logits: optional further negative logits per anchor, already scaled.
        reduction: ``"mean"`` or ``"none"`` (``(B, P)`` per-pair losses).

    Shapes:
        logits ``(B, C)``, own ``(B, P)``, extra_logits ``(B, M)``; returns a scalar or ``(B, P)``.

    Raises:
        BadInput: a reduction other than ``"mean"`` or ``"none"``.

    References:
        van den Oord et al., "Representation Learning with Contrastive Predictive Coding",
        arXiv:1807.03748.

    Example:
        >>> import torch
        >>> logits = torch.tensor([[2.0, 0.0], [0.0, 2.0]])
        >>> own = torch.tensor([[0], [1]])
        >>> info_nce_from_logits(logits, own, reduction="none")
        tensor([[0.1269],
                [0.1269]])
        >>> info_nce_from_logits(logits, own, torch.full((2, 1), 2.0))  # a hard extra negative
        tensor(0.7586)
    """
    if reduction not in ("mean", "none"):
        raise BadInput(f"reduction must be 'mean' or 'none', got {reduction!r}")
    every = logits
    if extra_logits is not None:
        check_rows("info_nce", logits=logits, extra_logits=extra_logits)
        every = torch.cat([logits, extra_logits], dim=1)
    if own.shape[1] == 1:
        losses = torch.nn.functional.cross_entropy(every, own[:, 0], reduction="none")[:, None]
    else:
        pos = logits.gather(1, own)  # (B, P)
        log_z_others = torch.logsumexp(every.scatter(1, own, float("-inf")), dim=1, keepdim=True)
        losses = torch.logaddexp(log_z_others, pos) - pos
    return losses if reduction == "none" else losses.mean()


class InfoNCELoss(nn.Module):
    """Multiple-negatives ranking loss for sentence-transformers with several positives.

    Input columns: ``(anchor, positive_1, ..., positive_P, negative_1, ..., negative_N)``;
    the first ``num_positives`` columns after the anchor are positives.

    Args:
        model: a ``SentenceTransformer`` (anything returning ``{"sentence_embedding": ...}``).
        temperature: softmax temperature on cosine similarity.
        num_positives: how many columns after the anchor are positives.
        gather_across_devices: global in-batch negatives across ``torch.distributed`` ranks.

    References:
        van den Oord et al., arXiv:1807.03748; Henderson et al., arXiv:1705.00652.

    Shapes:
        embeddings ``1 + P + N`` tensors of ``(B, D)`` -> scalar.

    Example:
        A toy module stands in for the ``SentenceTransformer`` (``load_sentence_transformer``):

        >>> import torch
        >>> class Toy(torch.nn.Module):
        ...     def forward(self, features):
        ...         return {"sentence_embedding": features["x"]}
        >>> loss = InfoNCELoss(Toy(), temperature=0.05, num_positives=1)
        >>> a = torch.eye(3)
        >>> columns = [{"x": a}, {"x": a + 0.1}, {"x": torch.ones(3, 3)}]  # anchor, positive, negative
        >>> value = loss(columns)
        >>> value.shape, bool(value < 0.01), loss.get_config_dict()["num_positives"]
        (torch.Size([]), True, 1)
    """

    def __init__(
        self,
        model: nn.Module,
        temperature: float = 0.05,
        num_positives: int = 1,
        gather_across_devices: bool = False,
    ) -> None:
        super().__init__()
        if temperature <= 0:
            raise BadInput(f"temperature must be positive, got {temperature}")
        if num_positives < 1:
            raise BadInput(f"num_positives must be at least 1, got {num_positives}")
        self.model = model
        self.temperature = temperature
        self.num_positives = num_positives
        self.gather_across_devices = gather_across_devices

    def forward(
        self, sentence_features: Iterable[dict[str, Tensor]], labels: Tensor | None = None
    ) -> Tensor:
        return self.compute_loss_from_embeddings(embed(self.model, sentence_features))

    def split(self, embeddings: list[Tensor]) -> tuple[Tensor, Tensor, Tensor | None]:
        if len(embeddings) < 1 + self.num_positives:
            raise ShapeMismatch(
                f"{type(self).__name__} needs an anchor and {self.num_positives} positive column(s), "
                f"got {len(embeddings)} column(s)"
            )
        anchors = embeddings[0]
        positives = torch.stack(embeddings[1 : 1 + self.num_positives], dim=1)
        rest = embeddings[1 + self.num_positives :]
        negatives = torch.stack(rest, dim=1) if rest else None
        return anchors, positives, negatives

    def compute_loss_from_embeddings(
        self, embeddings: list[Tensor], labels: Tensor | None = None
    ) -> Tensor:
        anchors, positives, negatives = self.split(embeddings)
        return info_nce(
            anchors,
            positives,
            negatives,
            temperature=self.temperature,
            gather_across_ranks=self.gather_across_devices,
        )

    def get_config_dict(self) -> dict[str, object]:
        return {
            "temperature": self.temperature,
            "num_positives": self.num_positives,
            "gather_across_devices": self.gather_across_devices,
        }

    @property
    def citation(self) -> str:
        return CITATION
