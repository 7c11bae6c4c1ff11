"""Online hard-negative mixing (KaLM-Embedding-V2): synthetic negatives from the hardest ones.

For each anchor the ``top_k`` candidates most similar to it that are not its own positives
are found in embedding space; ``num_mixed`` synthetic negatives are made by interpolating
random pairs of them, ``normalize(l * n_a + (1 - l) * n_b)`` with ``l ~ U(0, 1)``, and
added to that anchor's softmax denominator. Synthetic negatives carry no gradient (as in
MoCHi), so they sharpen the loss without a new forward pass or offline mining.

References:
    Zhao et al., "KaLM-Embedding-V2", arXiv:2506.20923. Kalantidis et al., "Hard Negative
    Mixing for Contrastive Learning" (MoCHi), arXiv:2010.01028.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput
from rl_shared.losses._common import embed
from rl_shared.losses.focal import CITATION, focal_weights
from rl_shared.losses.info_nce import InfoNCELoss, info_nce_from_logits, info_nce_logits

__all__ = ["HardNegativeMixingLoss", "mix_hard_negatives"]


def mix_hard_negatives(
    anchors: Tensor,
    candidates: Tensor,
    other_logits: Tensor,
    *,
    num_mixed: int = 8,
    top_k: int = 8,
    temperature: float = 0.05,
    generator: torch.Generator | None = None,
) -> Tensor:
    """Logits of synthetic negatives mixed from each anchor's hardest negatives.

    Args:
        anchors: anchor embeddings.
        candidates: every candidate row (gathered positives then negatives).
        other_logits: anchor x candidate logits with the anchor's own positives at ``-inf``.
        num_mixed: synthetic negatives per anchor.
        top_k: how many of the hardest negatives are mixed.
        temperature: softmax temperature of the returned logits.
        generator: random generator for the pairs and mixing weights.

    Shapes:
        anchors ``(B, D)``, candidates ``(C, D)``, other_logits ``(B, C)`` -> ``(B, num_mixed)``.

    Example:
        >>> import torch
        >>> a, c = torch.randn(4, 8), torch.randn(10, 8)
        >>> mix_hard_negatives(a, c, torch.randn(4, 10), num_mixed=3, top_k=5).shape
        torch.Size([4, 3])
    """
    if num_mixed < 1 or top_k < 2:
        raise BadInput(f"need num_mixed >= 1 and top_k >= 2, got {num_mixed} and {top_k}")
    k = min(top_k, int(torch.isfinite(other_logits).sum(dim=1).min()))
    if k < 2:
        raise BadInput(
            "hard-negative mixing needs at least two negatives per anchor; use a larger batch"
        )
    with torch.no_grad():
        hardest = other_logits.topk(k, dim=1).indices  # (B, k)
        batch = anchors.shape[0]
        pick = torch.randint(
            0, k, (batch, num_mixed, 2), generator=generator, device=anchors.device
        )
        first = candidates[hardest.gather(1, pick[..., 0])]  # (B, M, D)
        second = candidates[hardest.gather(1, pick[..., 1])]
        lam = torch.rand(batch, num_mixed, 1, generator=generator, device=anchors.device)
        mixed = torch.nn.functional.normalize(lam * first + (1 - lam) * second, dim=-1)
    anchors_n = torch.nn.functional.normalize(anchors, dim=-1)
    return torch.einsum("bd,bmd->bm", anchors_n, mixed) / temperature


class HardNegativeMixingLoss(InfoNCELoss):
    """InfoNCE (optionally focal) with online hard-negative mixing, as KaLM-Embedding-V2 trains.

    Args:
        model: a ``SentenceTransformer``.
        num_mixed: synthetic negatives per anchor.
        top_k: hardest negatives that are mixed.
        gamma: focal reweighting strength (0 disables it).
        temperature, num_positives, gather_across_devices: as in ``InfoNCELoss``.
        seed: seed of the mixing's random generator (``None``: torch's global RNG).

    Shapes:
        - sentence_features: ``1 + P + N`` tokenised columns (anchor, ``P = num_positives``
          positives, then negatives), each embedded to (B, D)
        - labels: ignored (any shape, or ``None``)
        - output: scalar

    References:
        Zhao et al., arXiv:2506.20923; Kalantidis et al., arXiv:2010.01028.

    Example:
        >>> loss = HardNegativeMixingLoss(model, num_mixed=8, gamma=1.0)  # doctest: +SKIP
    """

    def __init__(
        self,
        model: nn.Module,
        num_mixed: int = 8,
        top_k: int = 8,
        gamma: float = 0.0,
        temperature: float = 0.05,
        num_positives: int = 1,
        gather_across_devices: bool = False,
        seed: int | None = None,
    ) -> None:
        super().__init__(model, temperature, num_positives, gather_across_devices)
        self.num_mixed, self.top_k, self.gamma = num_mixed, top_k, gamma
        self.generator = torch.Generator().manual_seed(seed) if seed is not None else None

    def forward(
        self, sentence_features: Iterable[dict[str, Tensor]], labels: Tensor | None = None
    ) -> Tensor:
        return self.compute_loss_from_embeddings(embed(self.model, sentence_features))

    def compute_loss_from_embeddings(
        self, embeddings: list[Tensor], labels: Tensor | None = None
    ) -> Tensor:
        anchors, positives, negatives = self.split(embeddings)
        logits, own, candidates = info_nce_logits(
            anchors,
            positives,
            negatives,
            temperature=self.temperature,
            gather_across_ranks=self.gather_across_devices,
        )
        generator = self.generator if anchors.device.type == "cpu" else None
        others = logits.detach().scatter(1, own, float("-inf"))  # own positives are no negatives
        extra = mix_hard_negatives(
            anchors,
            candidates,
            others,
            num_mixed=self.num_mixed,
            top_k=self.top_k,
            temperature=self.temperature,
            generator=generator,
        )
        losses = info_nce_from_logits(logits, own, extra, reduction="none")
        return (focal_weights(losses, self.gamma) * losses).mean()

    def get_config_dict(self) -> dict[str, object]:
        return {
            **super().get_config_dict(),
            "num_mixed": self.num_mixed,
            "top_k": self.top_k,
            "gamma": self.gamma,
        }

    @property
    def citation(self) -> str:
        return CITATION
