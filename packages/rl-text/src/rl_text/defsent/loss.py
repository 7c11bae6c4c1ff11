"""DefSent+ projection loss: a definition's embedding must land on its entry in the entry space.

The sentence embedding of a definition is mapped by the entry space's isotropy transform
(differentiable), L2-normalised and scored against entry targets by cosine / ``temperature``;
cross-entropy with the definition's own entry. Negatives are every entry of the space
(``negatives="all"``, classification over entries as in DefSent) or only the distinct
entries of the batch (``"batch"``, contrastive).

References:
    Liu, "DefSent+ …", arXiv:2405.16153; Tsukagoshi et al., "DefSent: Sentence Embeddings
    using Definition Sentences", ACL 2021, arXiv:2105.04339.

Example:
    >>> import torch
    >>> from rl_text.defsent.isotropy import AffineTransform
    >>> logits = torch.tensor([[5.0, 0.0], [0.0, 5.0]])
    >>> round(float(torch.nn.functional.cross_entropy(logits, torch.tensor([0, 1]))), 4)
    0.0067
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput, NonFiniteLoss
from rl_text.defsent.space import EntrySpace

__all__ = ["DefSentLoss"]


class DefSentLoss(nn.Module):
    """Cross-entropy of definition embeddings against isotropic entry embeddings.

    Args:
        model: the ``SentenceTransformer`` being trained.
        space: the :class:`EntrySpace` (refreshed by the training loop).
        temperature: softmax temperature of the cosine scores.
        negatives: ``"all"`` entries or the ``"batch"``'s entries.

    Shapes:
        ``forward(sentence_features, labels)``: one feature dict of ``batch`` definitions,
        ``labels`` ``(batch,)`` entry indices; returns a scalar.

    Example:
        A space of two entries with an identity transform, and an "encoder" that returns
        the ``x`` feature as the embedding: each definition already sits on its entry.

        >>> from rl_text.defsent.entries import make_definition_set
        >>> from rl_text.defsent.isotropy import AffineTransform
        >>> data = make_definition_set([("a pet canine", "dog"), ("a feline", "cat")])
        >>> space = EntrySpace(data)
        >>> space.transform = AffineTransform(torch.zeros(2), torch.eye(2))
        >>> space.targets = torch.eye(2)
        >>> loss = DefSentLoss(lambda f: {"sentence_embedding": f["x"]}, space, temperature=0.1)
        >>> x = torch.tensor([[3.0, 0.0], [0.0, 2.0]])
        >>> round(float(loss([{"x": x}], torch.tensor([0, 1]))), 5)
        5e-05
        >>> round(float(loss([{"x": x}], torch.tensor([1, 0]))), 4)
        10.0
    """

    def __init__(
        self,
        model: nn.Module,
        space: EntrySpace,
        temperature: float = 0.05,
        negatives: str = "all",
    ) -> None:
        super().__init__()
        if negatives not in ("all", "batch"):
            raise BadInput(f"negatives must be 'all' or 'batch', got {negatives!r}")
        if temperature <= 0:
            raise BadInput(f"temperature must be positive, got {temperature}")
        self.model, self.space = model, space
        self.temperature, self.negatives = temperature, negatives

    def forward(self, sentence_features: Iterable[dict[str, Any]], labels: Tensor) -> Tensor:
        features = list(sentence_features)
        if len(features) != 1:
            raise BadInput("DefSentLoss takes one text column (the definitions) and a label")
        if self.space.targets is None:
            raise BadInput("the entry space is empty: refresh it before training")
        emb = self.model(features[0])["sentence_embedding"]
        z = self.space.project(emb)
        targets = self.space.targets.to(device=z.device, dtype=z.dtype)
        labels = labels.to(z.device).long()
        if self.negatives == "batch":
            keep, labels = torch.unique(labels, return_inverse=True)
            targets = targets[keep]
        loss = nn.functional.cross_entropy(z @ targets.T / self.temperature, labels)
        if not torch.isfinite(loss):
            raise NonFiniteLoss("the DefSent loss is not finite; lower the learning rate")
        return loss

    def get_config_dict(self) -> dict[str, Any]:
        return {"temperature": self.temperature, "negatives": self.negatives}

    @property
    def citation(self) -> str:
        return """@article{liu2024defsentplus,
  title={DefSent+: Improving sentence embeddings of language models by projecting definition
         sentences into a quasi-isotropic or isotropic vector space of unlimited dictionary entries},
  author={Liu, Xiaodong},
  journal={arXiv preprint arXiv:2405.16153},
  year={2024}
}"""
