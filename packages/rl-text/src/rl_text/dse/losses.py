"""The DSE distillation loss: a pair head over student embeddings regresses gold and teacher scores.

``loss = (1 − α) · MSE(h, gold) + α · MSE(h, teacher)``, scores in [0, 1] (STS / 5).

References:
    Barkan et al., "Scalable Attentive Sentence-Pair Modeling via Distilled Sentence
    Embedding", AAAI 2020, arXiv:1908.05161.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from torch import Tensor, nn

from rl_shared.errors import BadInput
from rl_text.dse.model import PairHead

__all__ = ["CITATION", "DistilledPairLoss"]

CITATION = """@inproceedings{barkan2020scalable,
  title={Scalable Attentive Sentence-Pair Modeling via Distilled Sentence Embedding},
  author={Barkan, Oren and Razin, Noam and Malkiel, Itzik and Katz, Ori and Caciularu, Avi
          and Koenigstein, Noam},
  booktitle={AAAI},
  year={2020}
}"""


class DistilledPairLoss(nn.Module):
    """``(1 − α)·MSE(head, gold) + α·MSE(head, teacher)`` for ``SentenceTransformerTrainer``.

    Input columns ``(sentence1, sentence2)`` and a ``label`` column of ``[gold, teacher]``
    scores in [0, 1].

    Args:
        model: the student ``SentenceTransformer``.
        head: the :class:`~rl_text.dse.model.PairHead` (trained with the model).
        alpha: weight of the teacher term (0: no distillation).

    Shapes:
        ``sentence_features``: two tokenized columns of ``B`` rows; ``labels`` ``(B, 2)``
        (gold, teacher); returns a scalar.

    References:
        Barkan et al., "Scalable Attentive Sentence-Pair Modeling via Distilled Sentence
        Embedding", AAAI 2020, arXiv:1908.05161.

    Example:
        >>> import torch
        >>> from rl_text.dse.model import PairHead
        >>> class Toy(torch.nn.Module):
        ...     def forward(self, features):
        ...         return {"sentence_embedding": features["x"]}
        >>> loss = DistilledPairLoss(Toy(), PairHead(4, hidden=8), alpha=0.5)
        >>> batch = [{"x": torch.randn(3, 4)}, {"x": torch.randn(3, 4)}]
        >>> float(loss(batch, torch.rand(3, 2))) >= 0
        True
    """

    def __init__(self, model: nn.Module, head: PairHead, alpha: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= alpha <= 1.0:
            raise BadInput(f"alpha must be in [0, 1], got {alpha}")
        self.model, self.head, self.alpha = model, head, alpha

    def forward(self, sentence_features: Iterable[dict[str, Tensor]], labels: Tensor) -> Tensor:
        u, v = (self.model(f)["sentence_embedding"] for f in sentence_features)
        pred = self.head(u, v)
        labels = labels.to(pred.dtype).reshape(-1, 2)
        task = nn.functional.mse_loss(pred, labels[:, 0])
        teacher = nn.functional.mse_loss(pred, labels[:, 1])
        return (1 - self.alpha) * task + self.alpha * teacher

    def get_config_dict(self) -> dict[str, Any]:
        return {"alpha": self.alpha, **self.head.config()}

    @property
    def citation(self) -> str:
        return CITATION
