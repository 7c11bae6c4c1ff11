"""Score distillation from a teacher (DSE): MSE to the teacher's scores, or KL between distributions.

``kind="mse"``: ``mean((student - teacher) ** 2)`` over every element, so on embeddings it
equals sentence-transformers' ``MSELoss`` and on pair scores it regresses the teacher's
scores as DSE's student does. ``kind="kl"``: ``KL(softmax(teacher / T) || softmax(student / T))``
along the last axis (scores of one query against several candidates), scaled by ``T**2``.

References:
    Barkan et al., "Scalable Attentive Sentence-Pair Modeling via Distilled Sentence
    Embedding", AAAI 2020, arXiv:1908.05161. Hinton et al., "Distilling the Knowledge in a
    Neural Network", arXiv:1503.02531.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput, ShapeMismatch
from rl_shared.losses._common import check_finite, embed
from rl_shared.losses._pair import pair_scores

__all__ = ["ScoreDistillationLoss", "score_distillation"]

CITATION = """@inproceedings{barkan2020scalable,
  title={Scalable Attentive Sentence-Pair Modeling via Distilled Sentence Embedding},
  author={Barkan, Oren and Razin, Noam and Malkiel, Itzik and Katz, Ori and Caciularu, Avi and Koenigstein, Noam},
  booktitle={AAAI},
  year={2020}
}"""


def score_distillation(
    student: Tensor, teacher: Tensor, *, kind: str = "mse", temperature: float = 1.0
) -> Tensor:
    """Distance of the student's scores (or embeddings) from the teacher's.

    Args:
        student: the student's outputs.
        teacher: the teacher's outputs, same shape (no gradient flows into it).
        kind: ``"mse"`` or ``"kl"``.
        temperature: softening temperature for ``"kl"``.

    Shapes:
        student, teacher ``(..., K)`` -> scalar.

    Example:
        >>> import torch
        >>> float(score_distillation(torch.ones(3), torch.zeros(3)))
        1.0
    """
    if student.shape != teacher.shape:
        raise ShapeMismatch(
            f"score_distillation needs student and teacher of one shape, got {tuple(student.shape)} and {tuple(teacher.shape)}"
        )
    check_finite("score_distillation", student, teacher)
    teacher = teacher.detach().to(student.dtype)
    if kind == "mse":
        return torch.nn.functional.mse_loss(student, teacher)
    if kind == "kl":
        if temperature <= 0:
            raise BadInput(f"temperature must be positive, got {temperature}")
        log_p_student = torch.log_softmax(student / temperature, dim=-1)
        log_p_teacher = torch.log_softmax(teacher / temperature, dim=-1)
        kl = torch.nn.functional.kl_div(
            log_p_student, log_p_teacher, reduction="batchmean", log_target=True
        )
        return kl * temperature**2
    raise BadInput(f"kind must be 'mse' or 'kl', got {kind!r}")


class ScoreDistillationLoss(nn.Module):
    """Regress a teacher's pair scores with the student's cosine similarity (DSE's distillation term).

    Input columns ``(sentence1, sentence2)``; ``labels`` are the teacher's scores for the pairs,
    on the student's scale (e.g. a cross-encoder's sigmoid output in [0, 1]).

    Args:
        model: the student ``SentenceTransformer``.
        kind: ``"mse"`` (default) or ``"kl"`` (labels then ``(B, K)`` scores of one anchor
            against ``K`` candidates in columns ``(anchor, cand_1, ..., cand_K)``).
        temperature: for ``"kl"``.

    Shapes:
        - sentence_features: one tokenised features dict per text column; the model embeds
          each column to (B, D)
        - labels: (B,) with ``kind="mse"``; (B, K) with ``kind="kl"``
        - output: scalar

    References:
        Barkan et al., arXiv:1908.05161.

    Example:
        >>> loss = ScoreDistillationLoss(model)  # doctest: +SKIP
    """

    def __init__(self, model: nn.Module, kind: str = "mse", temperature: float = 1.0) -> None:
        super().__init__()
        if kind not in ("mse", "kl"):
            raise BadInput(f"kind must be 'mse' or 'kl', got {kind!r}")
        self.model, self.kind, self.temperature = model, kind, temperature

    def forward(self, sentence_features: Iterable[dict[str, Tensor]], labels: Tensor) -> Tensor:
        embeddings = embed(self.model, sentence_features)
        if self.kind == "mse":
            if len(embeddings) != 2:
                raise ShapeMismatch(
                    f"ScoreDistillationLoss(kind='mse') needs two text columns, got {len(embeddings)}"
                )
            scores = pair_scores(embeddings[0], embeddings[1])
            return score_distillation(scores, labels.reshape(scores.shape), kind="mse")
        anchor, candidates = embeddings[0], torch.stack(embeddings[1:], dim=1)
        scores = torch.nn.functional.cosine_similarity(anchor[:, None, :], candidates, dim=-1)
        return score_distillation(scores, labels, kind="kl", temperature=self.temperature)

    @property
    def citation(self) -> str:
        return CITATION
